import { startFakeGraph } from '../test/fakes/graph-api';
import { cloudApiChannel } from '../src/main/core/channels/cloud-api/cloud-api-channel';
import { graphClient } from '../src/main/core/channels/cloud-api/graph-client';
import { eventBus } from '../src/main/core/events';
import { createDispatcher, throughOneChannel } from '../src/main/core/outbox/dispatcher';
import { createOutbox } from '../src/main/core/outbox/outbox';
import { openDatabase } from '../src/main/core/store/db';
import { countByState } from '../src/main/core/store/messages-repo';
import { withTempDir } from './util';

const COUNT = Number(process.env.BENCH_DISPATCH_COUNT ?? 20_000);
const CONCURRENCY = 16;
const WARM_UP = Math.min(COUNT, 3000);
const template = { name: 'aviso_clinica', language: 'es', status: 'APPROVED' as const, category: 'UTILITY' as const, components: [{ type: 'BODY', text: '{{1}}' }] };
const fakeOptions = { accessToken: 't', appSecret: 's', phoneNumberId: '1055', wabaId: '2001', templates: [template], autoStatuses: false as const };
const phone = (i: number) => `+519${String(30_000_000 + i)}`;

/** The whole send path: outbox rows → dispatcher → Cloud API channel → HTTP → the loopback fake → provider ids stored. */
async function throughApp(maxPerSecond: number, count = COUNT): Promise<number> {
  const fake = await startFakeGraph(fakeOptions);
  try {
    return await withTempDir(async (dir) => {
      const db = openDatabase(dir);
      const bus = eventBus();
      const outbox = createOutbox(db, bus, Date.now, () => 'es');
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          outbox.enqueue({
            kind: 'reminder', idempotencyKey: `bench:${i}`, patientId: null, siteId: null, serviceId: null,
            appointmentId: null, resultId: null, resendOf: null, channel: 'cloud-api', toPhone: phone(i),
            templateName: 'aviso_clinica', templateParams: [`Mensaje ${i}`], body: `Mensaje ${i}`, priority: 1, notBefore: 0,
          });
        }
      })();
      const channel = cloudApiChannel({
        client: graphClient(() => ({ baseUrl: fake.url, apiVersion: 'v23.0', phoneNumberId: '1055', wabaId: '2001', accessToken: 't' })),
        language: () => 'es',
        fallbackTemplate: () => ({ name: 'aviso_clinica', language: 'es', documentName: 'documento_clinica' }),
        findTemplate: () => undefined,
        maxPerSecond,
        recipientGapMs: 6000,
      });
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const dispatcher = createDispatcher({
        db, outbox, ...throughOneChannel(() => channel), isPaused: () => false, now: Date.now,
        maxPerSecond: () => maxPerSecond, dailyCap: () => 0, dayOf: () => 'd', nextDayStart: (t) => t + 86_400_000,
        maxInFlight: CONCURRENCY, maxAttempts: 5, backoffMs: () => 1000, onAccountProblem: () => undefined,
      });
      // Done when the last provider id is stored: counted from the outbox's own events (polling the table would take
      // the time it measures). The event comes inside the transaction that writes it, so the end is taken just after.
      let sent = 0;
      bus.subscribe((event) => {
        if (event.name === 'message.changed' && event.data.state === 'sent' && ++sent === count) setImmediate(done);
      });
      const start = performance.now();
      dispatcher.wake();
      await finished;
      const seconds = (performance.now() - start) / 1000;
      await dispatcher.stop();
      if (countByState(db).sent !== count) throw new Error(`${countByState(db).sent ?? 0} sent, expected ${count}`);
      if (fake.accepted.length !== count) throw new Error(`fake accepted ${fake.accepted.length}, expected ${count}`);
      db.close();
      return count / seconds;
    });
  } finally {
    await fake.close();
  }
}

/** The same requests from a bare HTTP client at the same concurrency: the ceiling the app is compared with. */
async function rawClient(): Promise<number> {
  const fake = await startFakeGraph(fakeOptions);
  try {
    const url = `${fake.url}/v23.0/1055/messages`;
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) {
          const i = next++;
          const res = await fetch(url, {
            method: 'POST',
            headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
            body: JSON.stringify({
              messaging_product: 'whatsapp', recipient_type: 'individual', to: phone(i).slice(1), biz_opaque_callback_data: `avisa:${i}`,
              type: 'template', template: { name: 'aviso_clinica', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: `Mensaje ${i}` }] }] },
            }),
          });
          await res.json();
        }
      }),
    );
    return COUNT / ((performance.now() - start) / 1000);
  } finally {
    await fake.close();
  }
}

export async function dispatch(): Promise<Record<string, number>> {
  const raw = await rawClient();
  // A first pass through the app, not counted: the figures compare steady sending, not the JIT warming up on
  // whichever of them runs first.
  await throughApp(0, WARM_UP);
  const paced = await throughApp(1000);
  const unlimited = await throughApp(0);
  return {
    'dispatch.paced_msg_per_s': paced,
    'dispatch.unlimited_msg_per_s': unlimited,
    'dispatch.raw_http_msg_per_s': raw,
    'dispatch.unlimited_vs_raw_pct': (100 * unlimited) / raw,
  };
}
