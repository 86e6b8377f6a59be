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

export function openSqlite(connection: SqliteConnection, options: SessionOptions): DbSession {
  // fileMustExist: a mistyped path must be an error, not a new empty database that reads as "no results".
  const db = new Database(connection.file, {
    readonly: !options.writable,
    fileMustExist: true,
    timeout: options.timeoutMs,
  });
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
    async close() {
      db.close();
    },
  };
}

class RollBack extends Error {}

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
