import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from './migrations';
import { registerSearchFunctions } from './search-text';

export type Db = Database.Database;

export const DATABASE_FILE = 'avisa.sqlite';

/** Opens (creating if needed) the store in dataDir and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // WAL with NORMAL is durable across application crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  registerSearchFunctions(db);
  migrate(db);
  return db;
}

/** Applies every migration newer than the recorded schema version, each in its own transaction. */
export function migrate(db: Db): number {
  // Migrations may fold text the way searches do (migration 23 fills the folded columns), whoever opened the file.
  registerSearchFunctions(db);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`);
  const current = schemaVersion(db);
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Rebuilding a referenced table needs foreign keys off (the pragma is ignored inside a transaction); they are
    // checked as a whole before the migration commits, then enforced again.
    if (m.rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.rebuild?.(db);
        db.exec(m.sql);
        if (m.rebuild && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`migration ${m.version} would break foreign keys`);
        }
        db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
      })();
    } finally {
      if (m.rebuild) db.pragma('foreign_keys = ON');
    }
  }
  return schemaVersion(db);
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** Prepares each SQL text once per connection: preparing costs more than running a small statement. */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/**
 * Runs a bulk write (a planning pass, a batch of appointment changes) with SQLite's scratch storage in memory.
 *
 * Every INSERT into messages fires triggers, so SQLite keeps a statement journal: a copy of each page the statement
 * touches, to undo that one statement if it fails. With the default temp_store that journal becomes a temporary file
 * as soon as one statement copies more than 64 KiB, and from then on every page of every statement of the transaction
 * is two write() calls: about twenty system calls per message row in a bulk plan. In memory the same copies are a
 * memcpy, and they stay small: the journal is emptied at the end of each statement. Only around bulk writes: sorts
 * elsewhere (an export over a million rows) keep spilling to disk instead of growing the process.
 *
 * The setting takes effect for transactions that begin after it, so it cannot be changed inside one: then `fn` runs
 * in the caller's transaction as it is (the caller is the bulk write and should wrap itself).
 */
export function withScratchInMemory<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const before = db.pragma('temp_store', { simple: true }) as number;
  if (before === 2) return fn();
  db.pragma('temp_store = MEMORY');
  try {
    return fn();
  } finally {
    db.pragma(`temp_store = ${before}`);
  }
}
