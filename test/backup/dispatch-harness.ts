import type { Db } from '../../src/main/core/store/db';
import { openDatabase } from '../../src/main/core/store/db';
import { eventBus } from '../../src/main/core/events';
import { createOutbox, type Outbox } from '../../src/main/core/outbox/outbox';
import { createDispatcher, throughOneChannel, type Dispatcher } from '../../src/main/core/outbox/dispatcher';
import { cloudApiChannel } from '../../src/main/core/channels/cloud-api/cloud-api-channel';
import { graphClient } from '../../src/main/core/channels/cloud-api/graph-client';
import { countByState } from '../../src/main/core/store/messages-repo';
import { startFakeGraph, type FakeGraph } from '../fakes/graph-api';

// The real send path (outbox → dispatcher → Cloud API channel → HTTP → the Graph fake) over a data folder, so a backup
// can be taken while messages go out.

const template = { name: 'aviso_clinica', language: 'es', status: 'APPROVED' as const, category: 'UTILITY' as const, components: [{ type: 'BODY', text: '{{1}}' }] };

export interface DispatchRig {
  db: Db;
  outbox: Outbox;
  fake: FakeGraph;
  dispatcher: Dispatcher;
  sent(): number;
  /** Resolves when every enqueued message is sent. */
  allSent(): Promise<void>;
  close(): Promise<void>;
}

export async function dispatchRig(dataDir: string, count: number, options: { isPaused?: () => boolean; onError?: (error: unknown) => void } = {}): Promise<DispatchRig> {
  const fake = await startFakeGraph({ accessToken: 't', appSecret: 's', phoneNumberId: '1055', wabaId: '2001', templates: [template], autoStatuses: false });
  const db = openDatabase(dataDir);
  const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      outbox.enqueue({
        kind: 'reminder', idempotencyKey: `rig:${i}`, patientId: null, siteId: null, serviceId: null, appointmentId: null,
        resultId: null, resendOf: null, channel: 'cloud-api', toPhone: `+519${String(30_000_000 + i)}`,
        templateName: 'aviso_clinica', templateParams: [`Mensaje ${i}`], body: `Mensaje ${i}`, priority: 1, notBefore: 0,
      });
    }
  })();
  const channel = cloudApiChannel({
    client: graphClient(() => ({ baseUrl: fake.url, apiVersion: 'v23.0', phoneNumberId: '1055', wabaId: '2001', accessToken: 't' })),
    language: () => 'es',
    fallbackTemplate: () => ({ name: 'aviso_clinica', documentName: 'documento_clinica', language: 'es' }),
    findTemplate: () => undefined,
    maxPerSecond: 0,
    recipientGapMs: 0,
  });
  const dispatcher = createDispatcher({
    db, outbox, ...throughOneChannel(() => channel), isPaused: options.isPaused ?? (() => false), now: Date.now,
    maxPerSecond: () => 0, dailyCap: () => 0, dayOf: () => 'd', nextDayStart: (t) => t + 86_400_000,
    maxInFlight: 16, maxAttempts: 5, backoffMs: () => 1000, onAccountProblem: () => undefined,
    ...(options.onError ? { onStorageError: options.onError } : {}),
  });
  let closed = false;
  const sent = () => (closed ? 0 : (countByState(db).sent ?? 0));
  return {
    db, outbox, fake, dispatcher, sent,
    allSent: () =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (closed || sent() === count) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      }),
    async close() {
      if (closed) return;
      closed = true;
      await dispatcher.stop();
      db.close();
      await fake.close();
    },
  };
}
