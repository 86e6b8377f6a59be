import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import type { Dialect, ParamValue } from './sql-params';

// One short-lived connection to the clinic's database. A poll opens, reads and closes: polls are a minute apart, and a
// fresh connection survives the clinic's server restarting between them without any reconnect logic.

export type Row = Record<string, unknown>;

export interface ReadResult {
  columns: string[];
  rows: Row[];
}

export interface DbSession {
  dialect: Dialect;
  /** Runs a query in a read-only transaction: a read query that tries to write fails instead of writing. */
  read(sql: string, values: ParamValue[]): Promise<ReadResult>;
  /**
   * Runs one statement in a transaction and commits only if `accept(affectedRows)` says so; otherwise rolls back.
   * Returns the affected row count either way.
   */
  update(sql: string, values: ParamValue[], accept: (affected: number) => boolean): Promise<number>;
  close(): Promise<void>;
}

export interface SessionOptions {
  timeoutMs: number;
  /** SQLite: open read-only (polls) or read-write (write-back). Servers enforce read-only per transaction. */
  writable: boolean;
}

/** Drivers load lazily: a clinic on SQLite never loads pg or mysql2. */
export async function openSession(connection: ClinicDbConnection, options: SessionOptions): Promise<DbSession> {
  switch (connection.driver) {
    case 'sqlite':
      return (await import('./driver-sqlite')).openSqlite(connection, options);
    case 'postgres':
      return (await import('./driver-postgres')).openPostgres(connection, options);
    case 'mysql':
      return (await import('./driver-mysql')).openMysql(connection, options);
  }
}
