import { afterEach, describe, expect, it } from 'vitest';
import { cloudRig, TOKEN, VERIFY_TOKEN } from '../helpers/cloud';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});
async function rig(...args: Parameters<typeof cloudRig>) {
  const r = await cloudRig(...args);
  rigs.push(r);
  return r;
}
const stateOf = async (r: Rig, id: number) => (await r.call('messages.timeline', { id })).message.state;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');

describe('Cloud API channel against the fake Graph API', () => {
  it('sends a template with our id, then follows sent → delivered → read from signed webhooks', async () => {
    const r = await rig({ autoStatuses: { sentAfterMs: 5, deliveredAfterMs: 10, readAfterMs: 20 } });
    const p = await r.patient();
    const m = await r.call('messages.send', {
      patientId: p.id,
      mode: 'template',
      templateName: 'recordatorio_cita',
      templateParams: ['Ana', 'Laboratorio', 'Sede Centro', 'lunes 1 de diciembre a las 09:00'],
    });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('read');
    const accepted = r.fake.accepted[0];
    expect(accepted?.bizOpaque).toBe(`avisa:${m.id}`);
    expect(accepted?.to).toBe(p.phoneE164?.slice(1));
    expect(accepted?.body).toMatchObject({
      type: 'template',
      template: { name: 'recordatorio_cita', language: { code: 'es' } },
    });
    const timeline = await r.call('messages.timeline', { id: m.id });
    expect(timeline.message.providerId).toBe(accepted?.wamid);
    expect(timeline.events.map((e) => e.state)).toEqual(['queued', 'sending', 'sent', 'delivered', 'read']);
  });

  it('uploads a PDF to /media and sends it by id with its file name', async () => {
    const r = await rig({ openWindows: [] });
    const p = await r.patient();
    await r.fake.inbound({ from: p.phoneE164!.slice(1), text: 'Hola, ¿ya está mi resultado?' });
    await r.fake.idle();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'document', filename: 'resultado.pdf', base64: pdf, caption: 'Su resultado' });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    const body = r.fake.accepted[0]?.body as { type: string; document: { id: string; filename: string } };
    expect(body.type).toBe('document');
    expect(body.document.filename).toBe('resultado.pdf');
    expect(r.fake.media.get(body.document.id)?.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('links an inbound reply to the message it answers and stores it once', async () => {
    const r = await rig();
    const p = await r.patient();
    const m = await r.call('messages.send', {
      patientId: p.id,
      mode: 'template',
      templateName: 'aviso_clinica',
      templateParams: ['Su cita es mañana'],
    });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    const wamid = r.fake.accepted[0]!.wamid;
    await r.fake.inbound({ from: p.phoneE164!.slice(1), id: 'wamid.reply-1', text: 'Sí, confirmo', contextId: wamid });
    await r.fake.inbound({ from: p.phoneE164!.slice(1), id: 'wamid.reply-1', text: 'Sí, confirmo', contextId: wamid });
    await r.fake.idle();
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).replies.length).toBe(1);
    expect((await r.call('messages.timeline', { id: m.id })).replies[0]?.body).toBe('Sí, confirmo');
  });

  it('sends free text again as the fallback template when Meta says the 24-hour window closed', async () => {
    const r = await rig();
    const p = await r.patient();
    const phone = p.phoneE164!.slice(1);
    await r.fake.inbound({ from: phone, text: 'Hola' });
    await r.fake.idle();
    r.fake.advanceClock(25 * 3_600_000); // Meta's clock says the window closed; Avisa still believes it open
    const m = await r.call('messages.send', { patientId: p.id, mode: 'text', text: 'Su resultado ya está listo.' });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('failed');
    const failed = await r.call('messages.timeline', { id: m.id });
    expect(failed.message.lastErrorCode).toBe('131047');
    const retry = (await r.call('messages.list', {})).rows.find((x) => x.resendOf === m.id);
    expect(retry).toBeDefined();
    await expect.poll(() => stateOf(r, retry!.id), { timeout: 10_000 }).toBe('sent');
    const last = r.fake.accepted.at(-1)?.body as { type: string; template: { name: string; components: { parameters: { text: string }[] }[] } };
    expect(last.type).toBe('template');
    expect(last.template.name).toBe('aviso_clinica');
    expect(last.template.components[0]?.parameters[0]?.text).toBe('Su resultado ya está listo.');
  });

  it('syncs templates and refuses a parameter-count mismatch or a paused template before calling Meta', async () => {
    const r = await rig();
    const synced = await r.call('cloudApi.syncTemplates', {});
    expect(synced.map((t) => [t.name, t.status, t.bodyParams])).toEqual([
      ['aviso_clinica', 'APPROVED', 1],
      ['promo_pausada', 'PAUSED', 1],
      ['recordatorio_cita', 'APPROVED', 4],
      ['resultado_listo', 'APPROVED', 2],
    ]);
    const p = await r.patient();
    const wrong = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'recordatorio_cita', templateParams: ['Ana'] });
    const paused = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'promo_pausada', templateParams: ['Ana'] });
    await expect.poll(() => stateOf(r, wrong.id), { timeout: 10_000 }).toBe('failed');
    await expect.poll(() => stateOf(r, paused.id), { timeout: 10_000 }).toBe('failed');
    expect((await r.call('messages.timeline', { id: wrong.id })).message.lastErrorReason).toMatch(/espera 4 datos y el mensaje trae 1/);
    expect((await r.call('messages.timeline', { id: paused.id })).message.lastErrorReason).toMatch(/no está aprobada/);
    expect(r.fake.accepted).toHaveLength(0);
  });

  it('fails a message Meta refuses for good, with the code and a reason a receptionist understands', async () => {
    const r = await rig({ notOnWhatsApp: ['51900000001'] });
    const p = await r.patient('900000001');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('failed');
    const t = await r.call('messages.timeline', { id: m.id });
    expect(t.message.lastErrorCode).toBe('131026');
    expect(t.message.lastErrorReason).toMatch(/no tiene WhatsApp/);
    const summary = await r.call('panel.summary', {});
    expect(summary.failedByReason[0]).toMatchObject({ code: '131026', count: 1 });
  });

  it('retries throttling with backoff and sends once', async () => {
    const r = await rig();
    r.fake.failNext({ httpStatus: 429, code: 130429, message: 'Rate limit hit' }, 2);
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    expect(r.fake.accepted).toHaveLength(1);
    expect((await r.call('messages.timeline', { id: m.id })).message.attempts).toBe(3);
  });

  it('pauses the channel on a bad token without burning the queue, and resumes once fixed', async () => {
    const r = await rig();
    await r.call('secrets.set', { name: 'cloudApi.accessToken', value: 'wrong-token' });
    const p = await r.patient();
    const a = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['1'] });
    const b = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['2'] });
    await expect.poll(async () => (await r.call('app.status', {})).channelHealth.state, { timeout: 10_000 }).toBe('paused');
    const status = await r.call('app.status', {});
    expect(status.channelHealth).toMatchObject({ code: '190' });
    expect(status.channelHealth.reason).toMatch(/token/);
    // The second send may still be answering when the pause lands: it comes back to the queue too.
    await expect.poll(() => stateOf(r, a.id), { timeout: 10_000 }).toBe('queued');
    await expect.poll(() => stateOf(r, b.id), { timeout: 10_000 }).toBe('queued');

    await r.call('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
    await r.call('sending.resume', {});
    await expect.poll(() => stateOf(r, b.id), { timeout: 10_000 }).toBe('sent');
    expect(await stateOf(r, a.id)).toBe('sent');
  });

  it('keeps the per-recipient gap so Meta’s pair rate limit is never hit', async () => {
    const r = await rig({ pairRateLimitMs: 300 });
    await r.call('settings.update', { cloudApi: { recipientGapMs: 350 } });
    const p = await r.patient();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: [`${i}`] })).id);
    }
    for (const id of ids) await expect.poll(() => stateOf(r, id), { timeout: 10_000 }).toBe('sent');
    expect(r.fake.requests.filter((q) => q.errorCode === 131056)).toHaveLength(0);
  });
});

describe('webhook receiver', () => {
  it('answers Meta’s verification handshake only with the verify token', async () => {
    const r = await rig();
    const ok = await fetch(`${r.webhookUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${r.webhookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it('refuses forged or unsigned bodies with 401 and stores nothing', async () => {
    const r = await rig();
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['x'] });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    const wamid = r.fake.accepted[0]!.wamid;
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: '2001', changes: [{ field: 'messages', value: { statuses: [{ id: wamid, status: 'read', timestamp: '1764000000' }] } }] }],
    };
    expect(await r.fake.postWebhook(body, 'forged')).toBe(401);
    expect(await r.fake.postWebhook(body, 'missing')).toBe(401);
    expect(await stateOf(r, m.id)).toBe('sent');
    expect(await r.fake.postWebhook(body, 'valid')).toBe(200);
    await expect.poll(() => stateOf(r, m.id)).toBe('read');
  });

  it('refuses an oversized body', async () => {
    const r = await rig();
    const res = await fetch(r.webhookUrl, { method: 'POST', body: Buffer.alloc(6 * 1024 * 1024, 32) }).catch(() => null);
    expect(res === null || res.status === 413).toBe(true);
  });
});
