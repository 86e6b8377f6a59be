import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { migrations } from '../../src/main/core/store/migrations';
import { registerSearchFunctions } from '../../src/main/core/store/search-text';
import { tempDir } from './temp';

/**
 * A database as an older Avisa left it: every migration before `version` applied and recorded, none from it on, with
 * the connection set up as the app sets up each one (foreign keys, the search functions migration 23 uses).
 */
export function databaseBefore(version: number): Database.Database {
  const db = new Database(join(tempDir(), DATABASE_FILE));
  db.pragma('foreign_keys = ON');
  registerSearchFunctions(db);
  db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const m of migrations.filter((x) => x.version < version)) {
    m.rebuild?.(db);
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_version VALUES (?, 0)').run(m.version);
  }
  return db;
}
