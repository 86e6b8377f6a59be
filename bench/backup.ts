// backup.1m_messages_s: a verified backup (online copy, integrity_check, audit chain against the anchor, manifest) of a
// database with 1,000,000 messages and their audit events. backup.dispatch_gap_p99_ms: while that backup runs, the
// dispatcher sends through the Cloud API channel to the loopback Graph fake; the gaps between consecutive sends say
// how long sending was held up (p99 and the longest).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendAudit } from '../src/main/core/audit/audit-log';
import { writeAnchor } from '../src/main/core/audit/audit-anchor';
import { takeBackup } from '../src/main/core/backup/take-backup';
import { cloudApiChannel } from '../src/main/core/channels/cloud-api/cloud-api-channel';
import { graphClient } from '../src/main/core/channels/cloud-api/graph-client';
import { eventBus } from '../src/main/core/events';
import { createDispatcher, throughOneChannel } from '../src/main/core/outbox/dispatcher';
import { createOutbox } from '../src/main/core/outbox/outbox';
import { openDatabase, type Db } from '../src/main/core/store/db';
import { startFakeGraph } from '../test/fakes/graph-api';
import { percentile, withTempDir } from './util';

const MESSAGES = Number(process.env.BENCH_BACKUP_MESSAGES ?? 1_000_000);
const TO_DISPATCH = Number(process.env.BENCH_BACKUP_DISPATCH ?? 20_000);
const template = { name: 'aviso_clinica', language: 'es', status: 'APPROVED' as const, category: 'UTILITY' as const, components: [{ type: 'BODY', text: '{{1}}' }] };

/** History that has already gone out: read messages, one audit event each, in one transaction. */
function seed(db: Db): void {
  const insert = db.prepare(
    `INSERT INTO messages (kind, idempotency_key, channel, to_phone, not_before, state, provider_id, queued_at, sending_at,
      sent_at, delivered_at, read_at, created_at, updated_at)
     VALUES ('reminder', ?, 'cloud-api', '+51900000000', ?, 'read', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < MESSAGES; i++) {
      const at = 1_700_000_000_000 + i * 1000;
      insert.run(`history:${i}`, at, `wamid.${i}`, at, at, at + 1000, at + 2000, at + 60_000, at, at + 60_000);
      appendAudit(db, { actor: 'system', action: 'message.read', entity: 'message', entityId: i + 1, data: { providerId: `wamid.${i}` } }, at);
    }
  })();
}

export async function backup(): Promise<Record<string, number>> {
  const fake = await startFakeGraph({ accessToken: 't', appSecret: 's', phoneNumberId: '1055', wabaId: '2001', templates: [template], autoStatuses: false });
  try {
    return await withTempDir(async (dir) => {
      const dataDir = join(dir, 'data');
      const folder = join(dir, 'copias');
      mkdirSync(folder);
      const db = openDatabase(dataDir);
      seed(db);
      const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
      db.transaction(() => {
        for (let i = 0; i < TO_DISPATCH; i++) {
          outbox.enqueue({
            kind: 'reminder', idempotencyKey: `bench:${i}`, patientId: null, siteId: null, serviceId: null, appointmentId: null,
            resultId: null, resendOf: null, channel: 'cloud-api', toPhone: `+519${String(30_000_000 + i)}`,
            templateName: 'aviso_clinica', templateParams: [`Mensaje ${i}`], body: `Mensaje ${i}`, priority: 1, notBefore: 0,
          });
        }
      })();
      writeAnchor(db, dataDir, Date.now());
      const inner = cloudApiChannel({
        client: graphClient(() => ({ baseUrl: fake.url, apiVersion: 'v23.0', phoneNumberId: '1055', wabaId: '2001', accessToken: 't' })),
        language: () => 'es',
        fallbackTemplate: () => ({ name: 'aviso_clinica', documentName: 'documento_clinica', language: 'es' }),
        findTemplate: () => undefined,
        maxPerSecond: 0,
        recipientGapMs: 0,
      });
      const sentAt: number[] = [];
      const channel = { ...inner, send: async (m: Parameters<typeof inner.send>[0]) => { const r = await inner.send(m); sentAt.push(performance.now()); return r; } };
      const dispatcher = createDispatcher({
        db, outbox, ...throughOneChannel(() => channel), isPaused: () => false, now: Date.now,
        maxPerSecond: () => 0, dailyCap: () => 0, dayOf: () => 'd', nextDayStart: (t) => t + 86_400_000,
        maxInFlight: 16, maxAttempts: 5, backoffMs: () => 1000, onAccountProblem: () => undefined,
      });
      dispatcher.wake();
      // Sending under way before the backup starts.
      while (sentAt.length < 200) await new Promise((r) => setTimeout(r, 5));
      const start = performance.now();
      await takeBackup({ db, dataDir, folder, mode: 'server', version: 'bench', zone: 'America/Lima', now: Date.now, passphrase: null });
      const end = performance.now();
      await dispatcher.stop();
      db.close();
      const during = sentAt.filter((t) => t >= start && t <= end);
      const gaps = during.slice(1).map((t, i) => t - (during[i] ?? t));
      if (during.length < 2) throw new Error(`only ${during.length} sends during the backup: raise BENCH_BACKUP_DISPATCH`);
      return {
        [`backup.${MESSAGES === 1_000_000 ? '1m' : String(MESSAGES)}_messages_s`]: (end - start) / 1000,
        'backup.dispatch_gap_p99_ms': percentile(gaps, 99),
        'backup.dispatch_gap_max_ms': Math.max(...gaps),
        'backup.sends_during_backup': during.length,
      };
    });
  } finally {
    await fake.close();
  }
}
