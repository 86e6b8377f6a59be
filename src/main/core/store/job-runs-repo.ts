import { prepared, type Db } from './db';

// When each calendar job last ran and how it ended, so Ajustes → Estado can show it after a restart.

export function recordJobRun(db: Db, name: string, at: number, error: string | null): void {
  prepared(db, 
    `INSERT INTO job_runs (name, last_run_at, last_ok, last_error) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET last_run_at = excluded.last_run_at, last_ok = excluded.last_ok, last_error = excluded.last_error`,
  ).run(name, at, error === null ? 1 : 0, error);
}

export function jobRuns(db: Db): Map<string, { lastRunAt: number; lastError: string | null }> {
  const rows = prepared(db, 'SELECT name, last_run_at AS lastRunAt, last_error AS lastError FROM job_runs').all() as {
    name: string;
    lastRunAt: number;
    lastError: string | null;
  }[];
  return new Map(rows.map((r) => [r.name, { lastRunAt: r.lastRunAt, lastError: r.lastError }]));
}
