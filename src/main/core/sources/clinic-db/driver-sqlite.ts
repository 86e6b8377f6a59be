import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { lowerKeys } from './row-keys';
import type { DbSession, Row, SessionOptions } from './session';
import type { ParamValue } from './sql-params';

// A clinic that keeps its records in SQLite: its file opened read-only (writable only for the one write-back UPDATE)
// and queried with the clinic's own configured SQL. It sits with the store because every better-sqlite3 call does.

type SqliteConnection = Extract<ClinicDbConnection, { driver: 'sqlite' }>;

class NotReadOnlyError extends Error {
  readonly code = 'SQLITE_READONLY';
}

class AvisaOwnDatabaseError extends Error {
  readonly code = 'AVISA_OWN_DATABASE';
}

/** Tables only Avisa's store has together: its encrypted secrets beside its own migration record and outbox. */
const AVISA_TABLES = ['schema_version', 'secrets', 'settings', 'messages'];

export function openSqlite(connection: SqliteConnection, options: SessionOptions): DbSession {
  refuseProtectedPlace(connection.file, options.protectedDirs ?? []);
  // fileMustExist: a mistyped path must be an error, not a new empty database that reads as "no results".
  const db = new Database(connection.file, {
    readonly: !options.writable,
    fileMustExist: true,
    timeout: options.timeoutMs,
  });
  try {
    refuseAvisaSchema(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    dialect: 'sqlite',
    async read(sql, values) {
      const statement = db.prepare(sql);
      if (!statement.reader) throw new NotReadOnlyError('The read query does not return rows (not a SELECT).');
      // Large integer ids and cursors must survive exactly; see `fromSqlite`.
      statement.safeIntegers(true);
      const columns = statement.columns().map((c) => c.name);
      const rows = (statement.all(...bindable(values)) as Row[]).map((row) => lowerKeys(fromSqlite(row)));
      return { columns, rows };
    },
    async update(sql, values, accept) {
      const statement = db.prepare(sql);
      let affected = 0;
      const run = db.transaction(() => {
        affected = statement.run(...bindable(values)).changes;
        if (!accept(affected)) throw new RollBack();
      });
      try {
        run();
      } catch (error) {
        if (!(error instanceof RollBack)) throw error;
      }
      return affected;
    },
    quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    async close() {
      db.close();
    },
  };
}

class RollBack extends Error {}

/** Avisa's data folder holds its database and the key that decrypts its secrets: no clinic source points there. */
function refuseProtectedPlace(file: string, protectedDirs: string[]): void {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return; // better-sqlite3 reports the missing file in its own words
  }
  for (const dir of protectedDirs) {
    let root: string;
    try {
      root = realpathSync(dir);
    } catch {
      root = resolve(dir);
    }
    const rel = relative(root, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new AvisaOwnDatabaseError(`${file} is inside Avisa's data folder`);
    }
  }
}

/** A copy of Avisa's database elsewhere is refused too: its secrets table must never be read as clinic data. */
function refuseAvisaSchema(db: Database.Database): void {
  const names = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name.toLowerCase()),
  );
  if (AVISA_TABLES.every((t) => names.has(t))) throw new AvisaOwnDatabaseError("The file has Avisa's own schema");
}

/** better-sqlite3 binds no booleans. */
function bindable(values: ParamValue[]): (string | number | null)[] {
  return values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

/** Safe integers come back as numbers; larger ones as their exact decimal text rather than a rounded number. */
function fromSqlite(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') {
      out[key] = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
    } else {
      out[key] = value;
    }
  }
  return out;
}
