import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import { cloudRig } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
  for (const r of rigs.splice(0)) await r.close();
});
async function rig() {
  const r = await cloudRig();
  rigs.push(r);
  return r;
}
const TOKEN = 'integrator-token-0123456789';

describe('the local API for integrators', () => {
  it('takes a client idempotency key: the same key twice is the same message, sent once', async () => {
    const r = await rig();
    const p = await r.patient();
    const send = () =>
      r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'], clientKey: 'his-42' });
    const first = await send();
    const again = await send();
    expect(again.id).toBe(first.id);
    await expect.poll(async () => (await r.call('messages.lookup', { clientKey: 'his-42' }))?.state, { timeout: 10_000 }).toBe('sent');
    expect(r.fake.accepted).toHaveLength(1);

    // Found by Avisa's id, by the key, and by WhatsApp's id; unknown ones are null.
    const wamid = r.fake.accepted[0]!.wamid;
    expect((await r.call('messages.lookup', { id: first.id }))?.id).toBe(first.id);
    expect((await r.call('messages.lookup', { providerId: wamid }))?.id).toBe(first.id);
    expect(await r.call('messages.lookup', { clientKey: 'his-43' })).toBeNull();
    expect(await r.call('messages.lookup', { id: 999_999 })).toBeNull();

    const counts = await r.call('messages.counts', { channel: 'cloud-api' });
    expect(counts).toMatchObject({ sent: 1, queued: 0, failed: 0, delivered: 0 });
    expect(Object.keys(counts).sort()).toEqual(['cancelled', 'delivered', 'expired', 'failed', 'queued', 'read', 'sending', 'sent', 'unknown']);
  });

  it('enqueues in bulk: each item with its own result, a refused one does not stop the rest, a retried batch sends nothing twice', async () => {
    const r = await rig();
    const a = await r.patient();
    const b = await r.patient();
    const noConsent = await r.call('patients.create', {
      firstNames: 'Luis',
      lastNames: 'Sin Consentimiento',
      documentType: 'DNI',
      documentNumber: '41234567',
      phone: '987111222',
      consent: false,
    });
    const batch = {
      messages: [
        { patientId: a.id, mode: 'template' as const, templateName: 'aviso_clinica', templateParams: ['Uno'], clientKey: 'lote-1' },
        { patientId: noConsent.id, mode: 'template' as const, templateName: 'aviso_clinica', templateParams: ['Dos'], clientKey: 'lote-2' },
        { patientId: b.id, mode: 'template' as const, templateName: 'aviso_clinica', templateParams: ['Tres'], clientKey: 'lote-3' },
      ],
    };
    const results = await r.call('messages.sendBulk', batch);
    expect(results.map((x) => (x.ok ? ['ok', x.created] : ['refused', x.code]))).toEqual([
      ['ok', true],
      ['refused', 'no_consent'],
      ['ok', true],
    ]);
    const retried = await r.call('messages.sendBulk', batch);
    expect(retried.map((x) => (x.ok ? x.created : x.code))).toEqual([false, 'no_consent', false]);
    // Two rows, both gone: no third row exists that could still be sent.
    await expect
      .poll(async () => (await r.call('messages.list', {})).rows.map((m) => m.state), { timeout: 10_000 })
      .toEqual(['sent', 'sent']);
    expect(r.fake.accepted).toHaveLength(2);
  });

  it('numbers live events and resumes a reconnected stream from Last-Event-ID', async () => {
    const r = await rig();
    const server = await startHttpServer({ core: r.core, token: TOKEN, rendererDir: tempDir(), host: '127.0.0.1', port: 0 });
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;

    /** Reads the stream until `count` events came (or `resync`), then hangs up. */
    async function read(count: number, headers: Record<string, string> = {}) {
      const controller = new AbortController();
      const response = await fetch(base, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers }, signal: controller.signal });
      const reader = response.body!.getReader();
      const events: { id: string | null; event: string | null; data: string }[] = [];
      let buffer = '';
      const onFrame = (frame: string) => {
        const field = (name: string) => frame.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
        const data = field('data');
        if (data !== null) events.push({ id: field('id'), event: field('event'), data });
      };
      const started = { opened: false };
      const done = (async () => {
        while (events.length < count && !events.some((e) => e.event === 'resync')) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          buffer += new TextDecoder().decode(value);
          started.opened = true;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            onFrame(buffer.slice(0, at));
            buffer = buffer.slice(at + 2);
          }
        }
        controller.abort();
      })().catch(() => undefined);
      await expect.poll(() => started.opened, { timeout: 5_000 }).toBe(true);
      return { events, done };
    }

    const p = await r.patient();
    const first = await read(2);
    await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await first.done;
    expect(first.events.every((e) => /^[0-9a-f]+-\d+$/.test(e.id ?? ''))).toBe(true);
    const seq = (id: string | null) => Number(id?.split('-')[1]);
    expect(seq(first.events[1]!.id)).toBe(seq(first.events[0]!.id) + 1);
    const lastSeen = first.events.at(-1)!.id!;

    // While disconnected, more happens; the reconnected stream starts right after the last event seen.
    await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Otra vez'] });
    await expect.poll(() => r.fake.accepted.length, { timeout: 10_000 }).toBe(2);
    const resumed = await read(1, { 'Last-Event-ID': lastSeen });
    await resumed.done;
    expect(seq(resumed.events[0]!.id)).toBe(seq(lastSeen) + 1);

    // An id from another run cannot be resumed: the client is told to reload.
    const stale = await read(1, { 'Last-Event-ID': 'deadbeef-3' });
    await stale.done;
    expect(stale.events[0]).toMatchObject({ event: 'resync' });
  });
});
