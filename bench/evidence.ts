import { createApp } from '../src/main/core/app';
import { eventBus } from '../src/main/core/events';
import { createOutbox } from '../src/main/core/outbox/outbox';
import { openDatabase } from '../src/main/core/store/db';
import { insertPatient } from '../src/main/core/store/patients-repo';
import { messageRecord } from '../test/helpers/fixtures';
import { plainBox, withTempDir } from './util';

/**
 * Per-patient evidence over a store with a long audit trail: 300 messages to the patient (each queued, sending, sent,
 * delivered, read) among 20,000 others. The export verifies the whole chain, so its cost grows with the trail.
 */
export async function evidence(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const db = openDatabase(dir);
    const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
    const patient = insertPatient(
      db,
      {
        firstNames: 'Rosa',
        lastNames: 'Mamani',
        documentType: 'DNI',
        documentNumber: '45871236',
        birthDate: null,
        phoneRaw: null,
        phoneE164: '+51987654321',
        phoneError: null,
        email: null,
        language: 'es',
        consent: 'opted_in',
        consentSource: 'reception_form',
        consentAt: null,
        siteId: null,
      },
      Date.now(),
    );
    db.transaction(() => {
      for (let i = 0; i < 20_300; i++) {
        const { message } = outbox.enqueue(messageRecord({ idempotencyKey: `bench:${i}`, patientId: i % 68 === 0 && i < 20_400 ? patient.id : null }));
        for (const state of ['sending', 'sent', 'delivered', 'read'] as const) {
          outbox.move(message.id, state, state === 'sent' ? { providerId: `wamid.${i}` } : {});
        }
      }
    })();
    db.close();

    const app = createApp({ dataDir: dir, secretBox: plainBox, mode: 'server' });
    const time = async (format: 'csv' | 'pdf') => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const r = await app.invoke('evidence.export', { patientId: patient.id, format });
        if (!r.ok) throw new Error(r.error.message);
        runs.push(performance.now() - start);
      }
      return Math.min(...runs);
    };
    const csv = await time('csv');
    const pdf = await time('pdf');
    await app.stop();
    return { 'evidence.csv_300_msgs_100k_audit_ms': csv, 'evidence.pdf_300_msgs_100k_audit_ms': pdf };
  });
}
