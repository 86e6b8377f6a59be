import Database from 'better-sqlite3';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { startFakeSmtp } from '../fakes/smtp-server';
import { cloudRig } from '../helpers/cloud';
import { quietPort } from '../helpers/ports';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const NOT_ON_WHATSAPP = '51900000009';
const PASSWORD = 'clave-smtp-secreta';

async function rig(options: { password?: string; rejectRecipients?: string[]; port?: number; fallback?: boolean } = {}) {
  const smtp = await startFakeSmtp({ users: { avisos: PASSWORD }, rejectRecipients: options.rejectRecipients });
  open.push(smtp);
  const r = await cloudRig({ notOnWhatsApp: [NOT_ON_WHATSAPP] });
  open.push(r);
  await r.call('settings.update', {
    email: {
      fallback: options.fallback ?? true,
      host: '127.0.0.1',
      port: options.port ?? smtp.port,
      security: 'none',
      user: 'avisos',
      fromAddress: 'avisos@clinica.test',
      fromName: 'Clínica Prueba',
    },
  });
  // After the server: a password belongs to the server it was entered for.
  await r.call('secrets.set', { name: 'email.password', value: options.password ?? PASSWORD });
  return { r, smtp };
}

async function patientWithEmail(r: Rig, email: string | null, phone = '900000009') {
  const p = await r.patient(phone);
  return email ? r.call('patients.update', { id: p.id, email }) : p;
}

const state = async (r: Rig, id: number) => (await r.call('messages.timeline', { id })).message;
const copyOf = async (r: Rig, id: number) => (await r.call('messages.list', {})).rows.find((m) => m.resendOf === id);

async function emailCopy(r: Rig, id: number) {
  await expect.poll(async () => (await state(r, id)).state, { timeout: 10_000 }).toBe('failed');
  await expect.poll(() => copyOf(r, id), { timeout: 10_000 }).toMatchObject({ channel: 'email' });
  return (await copyOf(r, id))!;
}

async function pdfBytes(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText('Hemograma completo', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  return doc.save();
}

describe('e-mail copy when WhatsApp cannot deliver', () => {
  it('sends the template, rendered, to the patient by e-mail over the clinic SMTP with AUTH, and links both', async () => {
    const { r, smtp } = await rig();
    const p = await patientWithEmail(r, 'ana.quispe@correo.test');
    const m = await r.call('messages.send', {
      patientId: p.id,
      mode: 'template',
      templateName: 'aviso_clinica',
      templateParams: ['Su resultado de laboratorio está listo.'],
    });
    const copy = await emailCopy(r, m.id);
    await expect.poll(async () => (await state(r, copy.id)).state, { timeout: 10_000 }).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.user).toBe('avisos');
    expect(mail.to).toEqual(['ana.quispe@correo.test']);
    expect(mail.from).toBe('avisos@clinica.test');
    expect(mail.parsed.from?.value[0]).toMatchObject({ name: 'Clínica Prueba', address: 'avisos@clinica.test' });
    expect(mail.parsed.subject).toBe('Clínica Prueba: Mensaje de su clínica');
    expect(mail.parsed.text).toContain('Su resultado de laboratorio está listo.');
    expect(mail.parsed.html).toContain('<p>Su resultado de laboratorio está listo.</p>');
    expect(mail.parsed.attachments).toHaveLength(0);

    // The message log shows both attempts, each pointing at the other, with the e-mail's Message-ID as its id.
    const sent = await state(r, copy.id);
    expect(sent).toMatchObject({ channel: 'email', toEmail: 'ana.quispe@correo.test', toPhone: `+${NOT_ON_WHATSAPP}` });
    expect(sent.providerId).toBe(mail.parsed.messageId);
    const original = await r.call('messages.timeline', { id: m.id });
    expect(original.message.lastErrorCode).toBe('131026');
    expect(original.related.map((x) => [x.id, x.channel])).toEqual([[copy.id, 'email']]);
    const copyTimeline = await r.call('messages.timeline', { id: copy.id });
    expect(copyTimeline.related.map((x) => x.id)).toEqual([m.id]);
    expect(copyTimeline.events.map((e) => e.state)).toEqual(['queued', 'sending', 'sent']);

    // The SMTP password rests encrypted like the other secrets.
    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    const row = db.prepare(`SELECT ciphertext FROM secrets WHERE name = 'email.password'`).get() as { ciphertext: Buffer };
    db.close();
    expect(row.ciphertext.includes(Buffer.from(PASSWORD))).toBe(false);
    expect((await r.call('settings.get', {})).secrets['email.password']).toBe(true);
  });

  it('attaches the exact PDF the WhatsApp message carried', async () => {
    const { r, smtp } = await rig();
    const p = await patientWithEmail(r, 'luis@correo.test');
    const bytes = await pdfBytes();
    const m = await r.call('messages.send', {
      patientId: p.id,
      mode: 'document',
      filename: 'hemograma.pdf',
      base64: Buffer.from(bytes).toString('base64'),
      caption: 'Adjuntamos su hemograma.',
    });
    const copy = await emailCopy(r, m.id);
    await expect.poll(async () => (await state(r, copy.id)).state, { timeout: 10_000 }).toBe('sent');
    const mail = smtp.received[0]!;
    expect(mail.parsed.text).toContain('Adjuntamos su hemograma.');
    expect(mail.parsed.attachments).toHaveLength(1);
    const attachment = mail.parsed.attachments[0]!;
    expect(attachment.filename).toBe('hemograma.pdf');
    expect(attachment.contentType).toBe('application/pdf');
    expect(Buffer.compare(attachment.content, Buffer.from(bytes))).toBe(0);
  });

  it('records a refused login on the e-mail copy, in words a receptionist understands, without pausing WhatsApp', async () => {
    const { r, smtp } = await rig({ password: 'equivocada' });
    const p = await patientWithEmail(r, 'ana@correo.test');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    const copy = await emailCopy(r, m.id);
    await expect.poll(async () => (await state(r, copy.id)).state, { timeout: 10_000 }).toBe('failed');
    const failed = await state(r, copy.id);
    expect(failed.lastErrorCode).toBe('smtp_auth');
    expect(failed.lastErrorReason).toContain('rechazó el usuario o la contraseña');
    expect(smtp.authAttempts.some((a) => a.user === 'avisos' && !a.ok)).toBe(true);
    expect(smtp.received).toHaveLength(0);
    expect(r.core.status().channelHealth.state).toBe('ready');
    // A failed e-mail copy does not make yet another copy.
    expect(await copyOf(r, copy.id)).toBeUndefined();

    await r.call('settings.update', { language: 'en' });
    const again = await r.call('messages.resend', { id: copy.id });
    expect(again.channel).toBe('email');
    await expect.poll(async () => (await state(r, again.id)).state, { timeout: 10_000 }).toBe('failed');
    expect((await state(r, again.id)).lastErrorReason).toContain('refused the user name or password');
  });

  it('records a refused recipient on the e-mail copy', async () => {
    const { r, smtp } = await rig({ rejectRecipients: ['no.existe@correo.test'] });
    const p = await patientWithEmail(r, 'no.existe@correo.test');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    const copy = await emailCopy(r, m.id);
    await expect.poll(async () => (await state(r, copy.id)).state, { timeout: 10_000 }).toBe('failed');
    const failed = await state(r, copy.id);
    expect(failed.lastErrorCode).toBe('smtp_recipient_rejected');
    expect(failed.lastErrorReason).toContain('rechazó la dirección del paciente');
    expect(smtp.received).toHaveLength(0);
  });

  it('retries when the mail server refuses connections, then fails with the reason', async () => {
    // A port nothing listens on, and none of the servers the tests start is given: connection refused.
    const closedPort = await quietPort();
    const { r } = await rig({ port: closedPort });
    const p = await patientWithEmail(r, 'ana@correo.test');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    const copy = await emailCopy(r, m.id);
    await expect.poll(async () => (await state(r, copy.id)).state, { timeout: 20_000, interval: 200 }).toBe('failed');
    const failed = await state(r, copy.id);
    expect(failed.attempts).toBe(6);
    expect(failed.lastErrorCode).toBe('smtp_connection');
    expect(failed.lastErrorReason).toContain('No se pudo conectar con el servidor de correo');
  }, 30_000);

  it('makes no copy for a patient without an address, nor when the clinic has not turned the fallback on', async () => {
    const { r, smtp } = await rig();
    const p = await patientWithEmail(r, null);
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(async () => (await state(r, m.id)).state, { timeout: 10_000 }).toBe('failed');

    await r.call('settings.update', { email: { fallback: false } });
    const q = await patientWithEmail(r, 'rosa@correo.test', '900000009');
    const n = await r.call('messages.send', { patientId: q.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(async () => (await state(r, n.id)).state, { timeout: 10_000 }).toBe('failed');
    // A copy is made in the same step that records the failure: by now it would be a row.
    expect(await copyOf(r, m.id)).toBeUndefined();
    expect(await copyOf(r, n.id)).toBeUndefined();
    expect(smtp.received).toHaveLength(0);
  });

  it('"Enviar prueba" sends one e-mail at once and reports a wrong password', async () => {
    const { r, smtp } = await rig();
    const ok = await r.call('email.sendTest', { to: 'recepcion@clinica.test' });
    expect(ok).toMatchObject({ ok: true, error: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.parsed.text).toContain('la configuración SMTP funciona');
    expect(smtp.received[0]!.parsed.messageId).toBe(ok.messageId);

    await r.call('secrets.set', { name: 'email.password', value: 'otra' });
    const bad = await r.call('email.sendTest', { to: 'recepcion@clinica.test' });
    expect(bad).toMatchObject({ ok: false, code: 'smtp_auth' });
    expect(bad.error).toContain('usuario o la contraseña');
  });
});
