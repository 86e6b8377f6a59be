import { describe, expect, it } from 'vitest';
import { syncPanelClock } from '../../src/main/core/metrics/clinic-clock';
import { migrate } from '../../src/main/core/store/db';
import { databaseBefore } from '../helpers/older-database';

// Migration 24 rebuilds the Panel's roll-ups with a second day (the site's): a database from before keeps every count,
// now on both calendars, and the triggers go on counting after it.

describe('migration 24 (each site’s day in the Panel)', () => {
  it('recounts the roll-ups of an existing database, and the first sync moves a site two hours ahead to its own days', () => {
    const db = databaseBefore(24);
    db.exec(`
      INSERT INTO sites (id, name, country, time_zone, created_at) VALUES (1, 'Lima', 'PE', 'America/Lima', 0),
        (2, 'São Paulo', 'BR', 'America/Sao_Paulo', 0);
      INSERT INTO panel_clock (since, offset_minutes) VALUES (-9007199254740991, -300);
      INSERT INTO panel_clock_zone (id, time_zone) VALUES (1, 'America/Lima');
    `);
    const insert = db.prepare(`INSERT INTO messages (kind, idempotency_key, site_id, channel, to_phone, body, state, priority,
      not_before, queued_at, created_at, updated_at) VALUES ('result', ?, ?, 'demo', '+51987654321', 'Hola', 'queued', 1, ?, 0, 0, 0)`);
    // 04:00Z on 4 March: the 3rd in Lima, the 4th in São Paulo.
    insert.run('a', 2, Date.parse('2025-03-04T04:00:00Z'));
    insert.run('b', 1, Date.parse('2025-03-04T04:00:00Z'));
    const before = db.prepare('SELECT day, site_id, total FROM panel_daily ORDER BY site_id').all();
    expect(before).toEqual([
      { day: '2025-03-03', site_id: 1, total: 1 },
      { day: '2025-03-03', site_id: 2, total: 1 },
    ]);

    migrate(db);
    // Until the application writes the sites' offsets, every site counts on the clinic's calendar: nothing moved.
    expect(db.prepare('SELECT day, site_day, site_id, total FROM panel_daily ORDER BY site_id').all()).toEqual([
      { day: '2025-03-03', site_day: '2025-03-03', site_id: 1, total: 1 },
      { day: '2025-03-03', site_day: '2025-03-03', site_id: 2, total: 1 },
    ]);
    expect(syncPanelClock(db, 'America/Lima')).toBe(true);
    expect(db.prepare('SELECT day, site_day, site_id, total FROM panel_daily ORDER BY site_id').all()).toEqual([
      { day: '2025-03-03', site_day: '2025-03-03', site_id: 1, total: 1 },
      { day: '2025-03-03', site_day: '2025-03-04', site_id: 2, total: 1 },
    ]);
    expect(syncPanelClock(db, 'America/Lima')).toBe(false);
    // The triggers keep counting: a third message at São Paulo.
    insert.run('c', 2, Date.parse('2025-03-04T04:30:00Z'));
    expect(db.prepare('SELECT total FROM panel_daily WHERE site_id = 2').get()).toEqual({ total: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM clinic_db_refused').get()).toEqual({ n: 0 });

    // Offsets written under older time-zone rules (here: São Paulo still at UTC-2 from this moment on) are rewritten
    // from the runtime's rules at the next sync, and the roll-ups recounted on them.
    db.prepare('INSERT INTO panel_site_clock (site_id, since, offset_minutes) VALUES (2, ?, -120)').run(Date.parse('2025-03-01T00:00:00Z'));
    db.exec('DELETE FROM panel_daily');
    expect(syncPanelClock(db, 'America/Lima')).toBe(true);
    expect(db.prepare('SELECT site_day, total FROM panel_daily WHERE site_id = 2').all()).toEqual([{ site_day: '2025-03-04', total: 2 }]);
    expect(syncPanelClock(db, 'America/Lima')).toBe(false);
  });
});
