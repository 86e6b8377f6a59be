import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/core/store/db';
import { panelRollupRows, rebuildPanelRollups } from '../../src/main/core/store/panel-repo';
import { databaseBefore } from '../helpers/older-database';

// Migration 26 moves the latency histograms out of panel_daily: a database from before keeps every count (states in
// panel_daily, histograms in panel_latency, equal to a recount), and the triggers go on counting after it.

describe('migration 26 (latency histograms in their own table)', () => {
  it('moves the counts of an existing database as they are, and later writes keep them equal to a recount', () => {
    const db = databaseBefore(26);
    db.exec(`INSERT INTO sites (id, name, country, time_zone, created_at) VALUES (1, 'Lima', 'PE', 'America/Lima', 0)`);
    const insert = db.prepare(`INSERT INTO messages (kind, idempotency_key, site_id, channel, to_phone, body, state, priority,
      not_before, queued_at, created_at, updated_at, sent_at, delivered_at, read_at)
      VALUES ('result', ?, 1, 'demo', '+51987654321', 'Hola', ?, 1, ?, 0, 0, 0, ?, ?, ?)`);
    const at = Date.parse('2025-03-04T15:00:00Z');
    insert.run('queued', 'queued', at, null, null, null);
    insert.run('delivered', 'delivered', at, at, at + 1_500, null); // 1.5 s to delivery: bucket 1
    insert.run('read', 'read', at, at, at + 500, at + 90_000); // 0.5 s (bucket 0), read after 90 s (bucket 8)
    const wide = db.prepare('SELECT total, s_queued, s_delivered, s_read, d0, d1, r8 FROM panel_daily').get();
    expect(wide).toEqual({ total: 3, s_queued: 1, s_delivered: 1, s_read: 1, d0: 1, d1: 1, r8: 1 });

    migrate(db);
    const daily = db.prepare('SELECT * FROM panel_daily').all() as Record<string, unknown>[];
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ total: 3, s_queued: 1, s_delivered: 1, s_read: 1 });
    expect(Object.keys(daily[0] ?? {}).some((k) => /^[dr]\d+$/.test(k))).toBe(false);
    expect(db.prepare('SELECT d0, d1, r8 FROM panel_latency').all()).toEqual([{ d0: 1, d1: 1, r8: 1 }]);
    const moved = panelRollupRows(db);
    rebuildPanelRollups(db);
    expect(panelRollupRows(db)).toEqual(moved);

    // After it: a queued message touches panel_daily only; its delivery adds to the histograms.
    insert.run('later', 'queued', at, null, null, null);
    expect(db.prepare('SELECT total, s_queued FROM panel_daily').get()).toEqual({ total: 4, s_queued: 2 });
    expect(db.prepare('SELECT d0 + d1 + r8 AS n FROM panel_latency').get()).toEqual({ n: 3 });
    db.prepare(`UPDATE messages SET state = 'delivered', sent_at = ?, delivered_at = ? WHERE idempotency_key = 'later'`).run(at, at + 700);
    expect(db.prepare('SELECT d0, s_queued, s_delivered FROM panel_latency JOIN panel_daily USING (day, site_day, site_id, service_id, kind, channel)').get())
      .toEqual({ d0: 2, s_queued: 1, s_delivered: 2 });
    const live = panelRollupRows(db);
    rebuildPanelRollups(db);
    expect(panelRollupRows(db)).toEqual(live);
    db.close();
  });
});
