import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN, cloudRig } from '../helpers/cloud';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});
async function rig(...args: Parameters<typeof cloudRig>) {
  const r = await cloudRig(...args);
  rigs.push(r);
  return r;
}
const timeline = (r: Rig, id: number) => r.call('messages.timeline', { id });
const stateOf = async (r: Rig, id: number) => (await timeline(r, id)).message.state;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');

/** A TCP server that drops every connection at once: a TLS client never gets to write its request. */
async function resettingServer(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('a PDF sent by hand outside the 24-hour window', () => {
  it('goes through the document template with the PDF as its header, and is delivered', async () => {
    const r = await rig();
    await r.call('cloudApi.syncTemplates', {});
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'document', filename: 'informe.pdf', base64: pdf, caption: 'Informe médico' });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    const body = r.fake.accepted[0]?.body as { type: string; template: { name: string; components: { type: string; parameters: { type: string; document?: { filename: string } }[] }[] } };
    expect(body.type).toBe('template');
    expect(body.template.name).toBe('documento_clinica');
    const header = body.template.components.find((c) => c.type === 'header');
    expect(header?.parameters[0]?.document?.filename).toBe('informe.pdf');
    expect(r.fake.requests.filter((q) => q.errorCode !== undefined)).toEqual([]);
  });

  it('is refused before any call when the document template has no document header, with the reason', async () => {
    const r = await rig();
    await r.call('cloudApi.syncTemplates', {});
    await r.call('settings.update', { cloudApi: { documentTemplate: 'aviso_clinica' } });
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'document', filename: 'informe.pdf', base64: pdf });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('failed');
    const t = await timeline(r, m.id);
    expect(t.message.lastErrorCode).toBe('template_header');
    expect(t.message.lastErrorReason).toMatch(/aviso_clinica/);
    expect(r.fake.requests.filter((q) => q.path.endsWith('/messages'))).toEqual([]);
  });
});

describe('a broken connection', () => {
  it('before the request was written is a clean retry, with the low-level error on the event', async () => {
    const r = await rig();
    const port = await resettingServer();
    await r.call('settings.update', { cloudApi: { baseUrl: `https://127.0.0.1:${port}` } });
    // A token is bound to the server it was entered for: pointing at another one asks for it again.
    await r.call('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect
      .poll(async () => (await timeline(r, m.id)).events.find((e) => e.state === 'queued' && e.errorCode), { timeout: 10_000 })
      .toBeTruthy();
    const event = (await timeline(r, m.id)).events.find((e) => e.state === 'queued' && e.errorCode);
    expect(event?.errorCode).toMatch(/^network:/);
    expect(event?.errorCode).toMatch(/ECONNRESET|socket/i);
    await r.call('settings.update', { cloudApi: { baseUrl: r.fake.url } });
    await r.call('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
    expect(r.fake.accepted).toHaveLength(1);
  });

  it('after the request was written is unknown at once, with the low-level error recorded', async () => {
    const r = await rig();
    r.fake.dropNextAnswer();
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('unknown');
    const event = (await timeline(r, m.id)).events.find((e) => e.state === 'unknown');
    expect(event?.errorCode).toMatch(/^network:/);
    expect(event?.errorReason).toBeTruthy();
    // Meta has it: the status webhook carrying our id still settles it, and nothing is resent.
    await r.fake.status(r.fake.accepted[0]!.wamid, 'delivered');
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('delivered');
    expect(r.fake.accepted).toHaveLength(1);
  });
});

describe('sending means the request is being written', () => {
  it('keeps a document queued while its upload is under way', async () => {
    const r = await rig({ openWindows: [] });
    const p = await r.patient();
    await r.fake.inbound({ from: p.phoneE164!.slice(1), text: 'Hola' });
    await r.fake.idle();
    const upload = r.fake.hold('media');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'document', filename: 'r.pdf', base64: pdf });
    await upload.arrived;
    expect(await stateOf(r, m.id)).toBe('queued');
    upload.release();
    await expect.poll(() => stateOf(r, m.id), { timeout: 10_000 }).toBe('sent');
  });
});

describe('the per-recipient gap', () => {
  it('counts from Meta’s acceptance, so a slow first request does not bring the second too close', async () => {
    const r = await rig({ pairRateLimitMs: 1000 });
    await r.call('settings.update', { cloudApi: { recipientGapMs: 1000 } });
    const p = await r.patient();
    const first = r.fake.hold('messages');
    const send = () => r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    const a = await send();
    const b = await send();
    await first.arrived;
    await new Promise((resolve) => setTimeout(resolve, 400));
    first.release();
    await expect.poll(async () => [await stateOf(r, a.id), await stateOf(r, b.id)], { timeout: 10_000 }).toEqual(['sent', 'sent']);
    expect(r.fake.requests.filter((q) => q.errorCode === 131056)).toEqual([]);
  });
});

describe('the pace setting', () => {
  it('keeps enough sends in flight for the pace at Meta’s latency, and reports the achieved rate', async () => {
    const r = await rig({ latencyMs: [200, 200] });
    await r.call('settings.update', { cloudApi: { maxPerSecond: 1000 } });
    await r.call('settings.update', { sendingPaused: true });
    const p = await r.patient();
    const ids: number[] = [];
    for (let i = 0; i < 400; i++) {
      ids.push((await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: [`n.º ${i}`] })).id);
    }
    await r.call('sending.resume', {});
    await expect.poll(() => r.fake.accepted.length, { timeout: 30_000 }).toBe(400);
    // 16 fixed in flight at 200 ms could never pass 80 messages a second; 1,000/s needs about 200 at once.
    expect(r.fake.peakConcurrency).toBeGreaterThan(100);
    const rate = (await r.call('app.status', {})).sendRate;
    expect(rate).toMatchObject({ pace: 1000 });
    expect(rate!.inFlight).toBeGreaterThanOrEqual(300);
    expect(rate!.perSecond).toBeGreaterThan(0);
    expect(rate!.latencyMs).toBeGreaterThanOrEqual(150);
  });
});
