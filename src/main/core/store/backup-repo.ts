import Database from 'better-sqlite3';
import { prepared, type Db } from './db';

// Backups of Avisa's own database: the online copy, the checks run on a copy, and the record of each attempt.

/**
 * Copies the live database page by page through SQLite's online backup, between which the event loop runs: sending
 * goes on while the copy is taken. Writes made meanwhile through this same connection are carried into the copy, so
 * it is one consistent moment. `pagesPerStep` bounds how long each step holds the thread.
 */
export async function copyDatabaseOnline(
  db: Db,
  file: string,
  onProgress: (done: number, total: number) => void,
  pagesPerStep = 128,
): Promise<{ pages: number }> {
  const result = await db.backup(file, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress(totalPages - remainingPages, totalPages);
      return pagesPerStep;
    },
  });
  onProgress(result.totalPages, result.totalPages);
  return { pages: result.totalPages };
}

/** A copy opened only to be read and checked; never migrated, never written. */
export function openCopy(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** What the manifest counts, so a restore can be compared with what was backed up. */
export const COUNTED_TABLES = ['messages', 'message_events', 'patients', 'appointments', 'results', 'replies', 'audit_events', 'consent_history'] as const;
export type TableCounts = Record<(typeof COUNTED_TABLES)[number], number>;

export function tableCounts(db: Db): TableCounts {
  const counts = {} as TableCounts;
  for (const table of COUNTED_TABLES) counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return counts;
}

export function readBackupConfig(db: Db): unknown {
  const row = prepared(db, 'SELECT value FROM backup_config WHERE id = 1').get() as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as unknown) : {};
}

export function writeBackupConfig(db: Db, value: unknown): void {
  prepared(db, 'INSERT INTO backup_config (id, value) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value').run(
    JSON.stringify(value),
  );
}

export interface BackupRunRow {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  trigger: string;
  folder: string;
  ok: boolean | null;
  name: string | null;
  bytes: number | null;
  encrypted: boolean;
  errorCode: string | null;
  errorEs: string | null;
  errorEn: string | null;
  detail: string | null;
}

export function insertBackupRun(db: Db, run: { startedAt: number; trigger: string; folder: string; encrypted: boolean }): number {
  return Number(
    prepared(db, 'INSERT INTO backup_runs (started_at, trigger, folder, encrypted) VALUES (?, ?, ?, ?)').run(
      run.startedAt,
      run.trigger,
      run.folder,
      run.encrypted ? 1 : 0,
    ).lastInsertRowid,
  );
}

export function finishBackupRun(
  db: Db,
  id: number,
  outcome:
    | { ok: true; at: number; name: string; bytes: number }
    | { ok: false; at: number; code: string; es: string; en: string; detail: string },
): void {
  if (outcome.ok) {
    prepared(db, 'UPDATE backup_runs SET finished_at = ?, ok = 1, name = ?, bytes = ? WHERE id = ?').run(outcome.at, outcome.name, outcome.bytes, id);
  } else {
    prepared(db, 'UPDATE backup_runs SET finished_at = ?, ok = 0, error_code = ?, error_es = ?, error_en = ?, detail = ? WHERE id = ?').run(
      outcome.at,
      outcome.code,
      outcome.es,
      outcome.en,
      outcome.detail,
      id,
    );
  }
}

const RUN_COLUMNS = `id, started_at AS startedAt, finished_at AS finishedAt, trigger, folder, ok, name, bytes, encrypted,
  error_code AS errorCode, error_es AS errorEs, error_en AS errorEn, detail`;

const runOf = (r: Record<string, unknown>): BackupRunRow =>
  ({ ...r, ok: r.ok === null ? null : r.ok === 1, encrypted: r.encrypted === 1 }) as BackupRunRow;

export function recentBackupRuns(db: Db, limit = 20): BackupRunRow[] {
  return (prepared(db, `SELECT ${RUN_COLUMNS} FROM backup_runs ORDER BY id DESC LIMIT ?`).all(limit) as Record<string, unknown>[]).map(runOf);
}

export function lastGoodBackupRun(db: Db): BackupRunRow | null {
  const r = prepared(db, `SELECT ${RUN_COLUMNS} FROM backup_runs WHERE ok = 1 ORDER BY id DESC LIMIT 1`).get() as Record<string, unknown> | undefined;
  return r ? runOf(r) : null;
}

/**
 * Whether another connection (a running Avisa) has the database open: taking it in exclusive mode fails at once then.
 * A restore must not move a file from under a running app.
 */
export function databaseInUse(file: string): boolean {
  let db: Db | null = null;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  } finally {
    db?.close();
  }
}
