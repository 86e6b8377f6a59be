import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE, migrate, openDatabase, schemaVersion } from '../../src/main/core/store/db';
import { migrations } from '../../src/main/core/store/migrations';
import { tempDir } from '../helpers/temp';

const expectedTables = [
  'appointments',
  'audit_events',
  'message_events',
  'messages',
  'patients',
  'replies',
  'results',
  'schema_version',
  'secrets',
  'send_counts',
  'services',
  'settings',
  'sites',
  'templates',
  'webhook_inbox',
  'linked_device_auth',
  'linked_device_lids',
  'reminder_rules',
  'reminder_settings',
  'reminders',
  'planning_issues',
  'appointment_answers',
  'reply_intents',
];

describe('migrations', () => {
  it('build the whole schema on an empty data directory, in WAL mode with foreign keys', () => {
    const db = openDatabase(tempDir());
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]).map((t) => t.name);
    // Every capability's tables are there (later migrations add their own on top).
    expect(tables).toEqual(expect.arrayContaining(expectedTables));
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('are a no-op when run again, and keep the data', () => {
    const dir = tempDir();
    const first = openDatabase(dir);
    first.prepare(`INSERT INTO settings (key, value) VALUES ('clinicName', '"Clínica"')`).run();
    first.close();
    const again = openDatabase(dir);
    expect(migrate(again)).toBe(migrations.at(-1)?.version);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(
      migrations.length,
    );
    expect(again.prepare(`SELECT value FROM settings WHERE key = 'clinicName'`).get()).toEqual({ value: '"Clínica"' });
    again.close();
  });

  it('are numbered in strictly increasing order', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('enforce foreign keys', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma('foreign_keys = ON');
    expect(() =>
      db
        .prepare(
          `INSERT INTO appointments (site_id, service_id, patient_id, starts_at, source, source_key, created_at,
            updated_at) VALUES (99, 99, 99, 0, 'test', 'x', 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
