import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/core/audit/audit-log';
import { eventBus } from '../../src/main/core/events';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { messageRecord } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

const rows = (db: Db, sql: string): unknown[] => db.prepare(sql).all();

describe('outbox.enqueueMany', () => {
  it('queues every message in one go: routed, with its queued event and audit entry, a taken key left as it was', () => {
    const db = openDatabase(tempDir());
    const bus = eventBus();
    const told: number[] = [];
    bus.subscribe((e) => {
      if (e.name === 'message.changed') told.push(e.data.id);
    });
    const outbox = createOutbox(db, bus, () => 5, () => 'es', {
      routeFor: (kind) => ({ primary: kind === 'reminder' ? 'linked-device' : 'cloud-api', fallback: null }),
    });
    const taken = outbox.enqueue(messageRecord({ idempotencyKey: 'k:2', kind: 'result', body: 'antes' }));
    told.length = 0;

    const results = outbox.enqueueMany([
      messageRecord({ idempotencyKey: 'k:1', kind: 'reminder', channel: 'demo' }),
      messageRecord({ idempotencyKey: 'k:2', kind: 'result', body: 'después' }),
      messageRecord({ idempotencyKey: 'k:3', channel: 'demo', channelFixed: true }),
    ]);

    expect(results.map((r) => r.created)).toEqual([true, false, true]);
    expect(results[1]?.id).toBe(taken.message.id);
    expect(rows(db, 'SELECT idempotency_key AS k, channel, body FROM messages ORDER BY id')).toEqual([
      { k: 'k:2', channel: 'cloud-api', body: 'antes' },
      { k: 'k:1', channel: 'linked-device', body: expect.any(String) },
      { k: 'k:3', channel: 'demo', body: expect.any(String) },
    ]);
    const created = results.filter((r) => r.created).map((r) => r.id);
    expect(rows(db, `SELECT message_id AS id, state, at FROM message_events WHERE message_id != ${taken.message.id}`)).toEqual(
      created.map((id) => ({ id, state: 'queued', at: 5 })),
    );
    expect(rows(db, `SELECT entity_id AS id FROM audit_events WHERE action = 'message.queued' ORDER BY id`)).toEqual(
      [taken.message.id, ...created].map((id) => ({ id: String(id) })),
    );
    expect(told).toEqual(created);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('a batch audit writes one entry naming what was created, and no per-message entries', () => {
    const db = openDatabase(tempDir());
    const told: number[] = [];
    const bus = eventBus();
    bus.subscribe((e) => {
      if (e.name === 'message.changed') told.push(e.data.id);
    });
    const outbox = createOutbox(db, bus, () => 7, () => 'es');
    const results = outbox.enqueueMany(
      [messageRecord({ idempotencyKey: 'b:1' }), messageRecord({ idempotencyKey: 'b:2' })],
      {
        actor: 'scheduler',
        announce: false,
        audit: (ids) => ({ actor: 'scheduler', action: 'batch.queued', entity: 'batch', entityId: null, data: { ids } }),
      },
    );
    const audit = rows(db, 'SELECT actor, action, data FROM audit_events') as { actor: string; action: string; data: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('batch.queued');
    expect(JSON.parse(audit[0]?.data ?? '{}')).toEqual({ ids: results.map((r) => r.id) });
    expect(told).toEqual([]);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('is all or nothing: a failing row leaves no message, event or audit entry of the batch', () => {
    const db = openDatabase(tempDir());
    const outbox = createOutbox(db, eventBus(), () => 1, () => 'es');
    expect(() =>
      outbox.enqueueMany([
        messageRecord({ idempotencyKey: 'c:1' }),
        messageRecord({ idempotencyKey: 'c:2', patientId: 999_999 }),
      ]),
    ).toThrow(/FOREIGN KEY/);
    expect(rows(db, 'SELECT id FROM messages')).toEqual([]);
    expect(rows(db, 'SELECT id FROM message_events')).toEqual([]);
    expect(rows(db, 'SELECT id FROM audit_events')).toEqual([]);
  });

  it("inside a caller's transaction the batch is part of it: a failing row rolls back the caller's writes and the batch", () => {
    const db = openDatabase(tempDir());
    const outbox = createOutbox(db, eventBus(), () => 1, () => 'es');
    const kept = outbox.enqueue(messageRecord({ idempotencyKey: 'before' })).message.id;
    expect(() =>
      db.transaction(() => {
        outbox.enqueue(messageRecord({ idempotencyKey: 'caller' }));
        outbox.enqueueMany([messageRecord({ idempotencyKey: 'd:1' }), messageRecord({ idempotencyKey: 'd:2', patientId: 999_999 })]);
      })(),
    ).toThrow(/FOREIGN KEY/);
    expect(rows(db, 'SELECT id FROM messages')).toEqual([{ id: kept }]);
    expect(rows(db, 'SELECT message_id AS id FROM message_events')).toEqual([{ id: kept }]);
    expect(verifyAudit(db)).toMatchObject({ ok: true, checked: 1 });

    const [ok] = db.transaction(() => outbox.enqueueMany([messageRecord({ idempotencyKey: 'd:3' })]))();
    expect(ok?.created).toBe(true);
    expect(rows(db, 'SELECT idempotency_key AS k FROM messages ORDER BY id')).toEqual([{ k: 'before' }, { k: 'd:3' }]);
  });
});
