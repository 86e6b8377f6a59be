import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { cloudRig } from '../helpers/cloud';

const COUNT = 1000;
let rig: Awaited<ReturnType<typeof cloudRig>> | null = null;
// The rig's data folder is made inside the test and removed right after it: the app stops first, or its last audit
// anchor (written at stop, and every two seconds while it runs) lands in a folder that is gone.
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('1,000 messages end to end', () => {
  it('go outbox → Cloud API channel → fake → signed webhooks (duplicated, reordered, batched) → store, none lost or doubled', async () => {
    rig = await cloudRig({
      autoStatuses: { sentAfterMs: 5, deliveredAfterMs: 15, readAfterMs: 30, duplicateRate: 0.2, reorder: true },
      webhookBatchSize: 25,
      seed: 7,
    });
    const r = rig;
    const ids: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const p = await r.patient(`9${String(20_000_000 + i)}`);
      const m = await r.call('messages.send', {
        patientId: p.id,
        mode: 'template',
        templateName: 'aviso_clinica',
        templateParams: [`Mensaje ${i}`],
      });
      ids.push(m.id);
    }
    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    await expect.poll(() => count(`SELECT COUNT(*) AS n FROM messages WHERE state = 'read'`), { timeout: 90_000, interval: 250 }).toBe(COUNT);
    await r.fake.idle();

    expect(r.fake.accepted).toHaveLength(COUNT);
    expect(new Set(r.fake.accepted.map((a) => a.wamid)).size).toBe(COUNT);
    expect(new Set(r.fake.accepted.map((a) => a.bizOpaque)).size).toBe(COUNT);
    expect(count('SELECT COUNT(*) AS n FROM messages')).toBe(COUNT);
    expect(count('SELECT COUNT(DISTINCT provider_id) AS n FROM messages')).toBe(COUNT);
    // Every message reached read, with delivered implied where read came first; no state recorded twice.
    expect(count('SELECT COUNT(*) AS n FROM messages WHERE delivered_at IS NULL OR sent_at IS NULL')).toBe(0);
    expect(
      count('SELECT COUNT(*) AS n FROM (SELECT message_id, state FROM message_events GROUP BY message_id, state HAVING COUNT(*) > 1)'),
    ).toBe(0);
    expect(count(`SELECT COUNT(*) AS n FROM webhook_inbox WHERE processed_at IS NULL OR error IS NOT NULL`)).toBe(0);
    const duplicates = r.fake.webhookDeliveries.length - new Set(r.fake.webhookDeliveries.map((d) => d.body)).size;
    expect(duplicates).toBeGreaterThan(0); // the fake really did send duplicates
    const audit = await r.call('audit.verify', {});
    expect(audit.ok).toBe(true);
    db.close();
  }, 180_000);
});
