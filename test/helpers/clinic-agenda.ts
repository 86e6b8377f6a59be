import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClinicDbSourceSettings } from '../../src/shared/api';
import { tempDir } from './temp';

// The clinic's own database, as the clinic-database source reads it: a real SQLite file the clinic's system writes
// to, and the source Ajustes → Base de datos de la clínica saves for it. The appointment book is here; the results
// table, on the same files and settings, is in clinic-results.ts.

/** A fresh agenda file: `schema` run once, then `insert` once per row. */
export function clinicAgenda(schema: string, insert: string, rows: readonly (readonly unknown[])[] = []): string {
  return clinicDatabaseFile('agenda.sqlite', schema, insert, rows);
}

/** A fresh SQLite file of the clinic's system, named `name`: `schema` run once, then `insert` once per row. */
export function clinicDatabaseFile(name: string, schema: string, insert: string, rows: readonly (readonly unknown[])[] = []): string {
  const file = join(tempDir('clinic-db-'), name);
  const db = new Database(file);
  try {
    db.exec(schema);
    const add = db.prepare(insert);
    for (const row of rows) add.run(...row);
  } finally {
    db.close();
  }
  return file;
}

/** The clinic's system writes to its SQLite file (a row added or fixed), as another program would. */
export function editClinicDatabase(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/**
 * The appointments source on that file with `query`, as Ajustes saves it: polled every 5 s (the shortest allowed),
 * keys `clinic-db:<id>`, times read in Lima; `more` replaces any of these.
 */
export function agendaSource(file: string, query: string, more: Partial<ClinicDbSourceSettings> = {}): ClinicDbSourceSettings {
  return clinicDbSource('appointments', { driver: 'sqlite', file }, query, more);
}

/** A clinic-database source of either kind as Ajustes saves it, with the same defaults as above; `more` replaces any. */
export function clinicDbSource(
  kind: ClinicDbSourceSettings['kind'],
  connection: ClinicDbSourceSettings['connection'],
  query: string,
  more: Partial<ClinicDbSourceSettings> = {},
): ClinicDbSourceSettings {
  return {
    enabled: true,
    kind,
    connection,
    query,
    cursorColumn: kind === 'results' ? 'result_id' : 'appointment_id',
    initialCursor: 0,
    keyPrefix: 'clinic-db',
    timeZone: 'America/Lima',
    statusMap: {},
    fileBaseDir: '',
    pollSeconds: 5,
    timeoutSeconds: 10,
    writeBack: null,
    ...more,
  };
}
