import type { Epoch } from './domain';

// Backups, restore, calendar jobs and the disk under the database: the typed contract the UI, the header and the
// tray read.

export interface BackupConfigView {
  folder: string;
  /** HH:mm, local in the clinic's zone. */
  time: string;
  keepDaily: number;
  keepWeekly: number;
  encrypt: boolean;
  /** Whether a passphrase is stored (it is write-only). */
  hasPassphrase: boolean;
  /** Desktop: saved secrets are tied to the OS account and must be entered again after a restore on another. */
  secretsNote: string | null;
}

export interface BackupHealth {
  state: 'not_configured' | 'ok' | 'running' | 'failed';
  lastGoodAt: Epoch | null;
  /** The last failure, in the user's language, while no later backup succeeded. */
  failure: { reason: string; detail: string; at: Epoch } | null;
  nextRetryAt: Epoch | null;
  /** 0..1 while running. */
  progress: number | null;
}

export interface BackupListItem {
  name: string;
  takenAt: Epoch;
  bytes: number;
  encrypted: boolean;
  avisaVersion: string;
}

export interface BackupRunView {
  startedAt: Epoch;
  finishedAt: Epoch | null;
  trigger: string;
  ok: boolean | null;
  name: string | null;
  bytes: number | null;
  reason: string | null;
  detail: string | null;
}

export interface RestoreCheck {
  takenAt: Epoch;
  avisaVersion: string;
  counts: Record<string, number>;
  sending: number;
  secrets: 'included' | 'reenter';
}

export interface JobView {
  name: string;
  /** Cron rule (minute hour day month weekday) or "every N minutes". */
  rule: string;
  zone: string;
  nextRun: Epoch | null;
  lastRun: Epoch | null;
  lastError: string | null;
}

export interface StorageFault {
  code: 'full' | 'busy' | 'corrupt' | 'io';
  reason: string;
  detail: string;
  at: Epoch;
}

export interface OperationsStatus {
  backup: BackupHealth;
  storage: StorageFault | null;
}

export interface OperationsHandlers {
  'backup.config': (args: Record<string, never>) => BackupConfigView;
  /** passphrase: a new one (empty string removes it). */
  'backup.setConfig': (args: { folder: string; time: string; keepDaily: number; keepWeekly: number; encrypt: boolean; passphrase?: string }) => BackupConfigView;
  /** "Hacer copia ahora": resolves when the copy is checked and in place; progress comes as backup.progress events. */
  'backup.runNow': (args: Record<string, never>) => Promise<BackupRunView>;
  'backup.list': (args: Record<string, never>) => Promise<BackupListItem[]>;
  'backup.history': (args: Record<string, never>) => BackupRunView[];
  /** Checks a backup in full (hashes, passphrase, integrity, audit chain) without touching the current data. */
  'backup.checkRestore': (args: { path: string; passphrase?: string }) => Promise<RestoreCheck>;
  /** Checks, then restores at the next start (the current data is moved aside); the app restarts. */
  'backup.restore': (args: { path: string; passphrase?: string }) => Promise<RestoreCheck>;
  'jobs.list': (args: Record<string, never>) => JobView[];
  /** After the disk was fixed: check the database again and resume sending if it answers. */
  'storage.retry': (args: Record<string, never>) => Promise<OperationsStatus>;
}

export interface OperationsEvents {
  'backup.progress': { fraction: number };
  /** The core asks its host to restart it (a restore is pending). */
  'app.restartRequested': { reason: string };
}
