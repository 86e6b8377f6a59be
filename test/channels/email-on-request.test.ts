import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSmtp } from '../fakes/smtp-server';
import { cloudRig } from '../helpers/cloud';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const NOT_ON_WHATSAPP = '51900000009';
const PASSWORD = 'clave-smtp-secreta';

/** The clinic's SMTP on loopback, with the automatic e-mail copy OFF: only a person's "Enviar por correo" sends. */
async function rig(options: { smtp?: boolean } = {}) {
  const smtp = await startFakeSmtp({ users: { avisos: PASSWORD } });
  open.push(smtp);
  const r = await cloudRig({ notOnWhatsApp: [NOT_ON_WHATSAPP] });
  open.push(r);
  if (options.smtp !== false) {
    await r.call('settings.update', {
      email: { fallback: false, host: '127.0.0.1', port: smtp.port, security: 'none', user: 'avisos', fromAddress: 'avisos@clinica.test', fromName: 'Clínica Prueba' },
    });
    await r.call('secrets.set', { name: 'email.password', value: PASSWORD });
  }
  return { r, smtp };
}

async function pdf(): Promise<string> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Hemograma completo', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  return Buffer.from(await doc.save()).toString('base64');
}

async function failedDocument(r: Rig, email: string | null) {
  const p = await r.patient('900000009');
  if (email) await r.call('patients.update', { id: p.id, email });
  const base64 = await pdf();
  const m = await r.call('messages.send', { patientId: p.id, mode: 'document', filename: 'hemograma.pdf', base64, caption: 'Su hemograma.' });
  await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('failed');
  return { m, base64 };
}

const listed = async (r: Rig, id: number) => (await r.call('messages.list', {})).rows.find((x) => x.id === id);

describe('"Enviar por correo" on a message WhatsApp cannot deliver to this number', () => {
  it('offers the patient’s address, sends the same PDF through the clinic’s SMTP once, and links both messages', async () => {
    const { r, smtp } = await rig();
    const { m, base64 } = await failedDocument(r, 'ana.quispe@correo.test');
    expect((await listed(r, m.id))?.lastErrorCode).toBe('131026');
    expect((await listed(r, m.id))?.emailCopyTo).toBe('ana.quispe@correo.test');
    // Nothing went by itself: the automatic copy is off.
    expect(smtp.received).toHaveLength(0);

    const copy = await r.call('messages.sendByEmail', { id: m.id });
    expect(copy).toMatchObject({ channel: 'email', toEmail: 'ana.quispe@correo.test', resendOf: m.id });
    await expect.poll(async () => (await r.call('messages.timeline', { id: copy.id })).message.state, { timeout: 10_000 }).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['ana.quispe@correo.test']);
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(mail.parsed.attachments[0]!.filename).toBe('hemograma.pdf');
    expect(Buffer.compare(mail.parsed.attachments[0]!.content, Buffer.from(base64, 'base64'))).toBe(0);
    expect((await r.call('messages.timeline', { id: m.id })).related.map((x) => x.id)).toEqual([copy.id]);

    // Asked again (a double click, a second person): the same copy, no second e-mail.
    expect((await r.call('messages.sendByEmail', { id: m.id })).id).toBe(copy.id);
    // No second row to send, and the copy has already gone: nothing is left that could make a second e-mail.
    expect((await r.call('messages.timeline', { id: m.id })).related.map((x) => x.id)).toEqual([copy.id]);
    expect((await r.call('messages.timeline', { id: copy.id })).message.state).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses, with the reason in words, when there is no address, no document, or no mail server', async () => {
    const { r } = await rig();
    const { m } = await failedDocument(r, null);
    expect((await listed(r, m.id))?.emailCopyTo).toBeUndefined();
    await expect(r.call('messages.sendByEmail', { id: m.id })).rejects.toThrow(/no_email: El paciente no tiene correo electrónico/);

    const text = await r.call('messages.send', { patientId: m.patientId!, mode: 'text', text: 'Hola' });
    await r.call('patients.update', { id: m.patientId!, email: 'ana@correo.test' });
    await expect.poll(async () => (await r.call('messages.timeline', { id: text.id })).message.state, { timeout: 10_000 }).toBe('failed');
    expect((await listed(r, text.id))?.emailCopyTo).toBeUndefined();
    await expect(r.call('messages.sendByEmail', { id: text.id })).rejects.toThrow(/no_document: El mensaje no lleva un documento/);

    const { r: noSmtp } = await rig({ smtp: false });
    const other = await failedDocument(noSmtp, 'luis@correo.test');
    expect((await listed(noSmtp, other.m.id))?.emailCopyTo).toBeUndefined();
    await expect(noSmtp.call('messages.sendByEmail', { id: other.m.id })).rejects.toThrow(/smtp_off: El correo no está configurado/);
  });
});
