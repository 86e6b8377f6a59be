// Backups: where and when they go (one row), and each attempt with its outcome, so the header, the tray and Ajustes
// can say when the last good copy was taken and why the last one failed. Calendar jobs: when each last ran and how.
export const backupsJobs = `
CREATE TABLE backup_config (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value TEXT NOT NULL
);
CREATE TABLE backup_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  trigger TEXT NOT NULL,
  folder TEXT NOT NULL,
  ok INTEGER,
  name TEXT,
  bytes INTEGER,
  encrypted INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_es TEXT,
  error_en TEXT,
  detail TEXT
);
CREATE INDEX backup_runs_started ON backup_runs(started_at);
CREATE TABLE job_runs (
  name TEXT PRIMARY KEY,
  last_run_at INTEGER NOT NULL,
  last_ok INTEGER NOT NULL,
  last_error TEXT
);
`;
