import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE, migrate, schemaVersion } from '../../src/main/core/store/db';
import { migrations } from '../../src/main/core/store/migrations';
import { tempDir } from '../helpers/temp';

// Migration 9 rebuilds `results` (status gains 'dismissed'): a database from before keeps every result, every message
// and intake item that points at one, and foreign keys stay enforced afterwards.

describe('migration 9 (result links, dismissed results)', () => {
  it('keeps existing results and what refers to them, marks dismissed ones, and still enforces foreign keys', () => {
    const db = new Database(join(tempDir(), DATABASE_FILE));
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version <= 4)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version VALUES (?, 0)').run(m.version);
    }
    db.exec(`
      INSERT INTO patients (id, first_names, last_names, document_type, document_number, created_at, updated_at)
        VALUES (1, 'Ana', 'Quispe', 'DNI', '41234567', 0, 0);
      INSERT INTO results (id, patient_id, source, source_key, title, status, created_at, updated_at, verification_code)
        VALUES (1, 1, 'folder', 'k1', 'Hemograma', 'queued', 0, 0, 'AB12'), (2, 1, 'folder', 'k2', 'Perfil', 'pending_review', 0, 0, NULL);
      INSERT INTO result_intake (source, source_key, kind, title, result_id, received_at, updated_at, dismissed_at)
        VALUES ('folder', 'k1', 'result', 'Hemograma', 1, 0, 0, NULL), ('folder', 'k2', 'result', 'Perfil', 2, 0, 0, 5);
      INSERT INTO messages (kind, idempotency_key, patient_id, result_id, channel, to_phone, body, state, priority,
        not_before, queued_at, created_at, updated_at)
        VALUES ('result', 'result:k1', 1, 1, 'demo', '+51987654321', 'Hola', 'queued', 1, 0, 0, 0, 0);
    `);
    // A column another migration added before this one survives the rebuild, with its values.
    db.exec(`ALTER TABLE results ADD COLUMN courier_note TEXT; UPDATE results SET courier_note = 'sobre 12' WHERE id = 1;`);
    expect(migrate(db)).toBe(migrations.at(-1)?.version);
    expect(db.prepare('SELECT courier_note AS note FROM results WHERE id = 1').get()).toEqual({ note: 'sobre 12' });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'results_status'`).get()).toEqual({
      name: 'results_status',
    });
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(9);
    expect(db.prepare('SELECT id, status, verification_code AS code FROM results ORDER BY id').all()).toEqual([
      { id: 1, status: 'queued', code: 'AB12' },
      { id: 2, status: 'dismissed', code: null },
    ]);
    expect(db.prepare('SELECT result_id AS r, link_url AS link FROM messages').get()).toEqual({ r: 1, link: null });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() =>
      db.prepare(`UPDATE results SET patient_id = 99 WHERE id = 1`).run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`UPDATE results SET status = 'lost' WHERE id = 1`).run()).toThrow(/CHECK/);
    db.close();
  });
});
