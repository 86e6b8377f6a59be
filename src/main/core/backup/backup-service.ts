import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../../../shared/domain';
import type { BackupConfigView, BackupHealth, BackupListItem, BackupRunView } from '../../../shared/operations';
import { appendAudit } from '../audit/audit-log';
import type { SettingsService } from '../settings/settings-service';
import { finishBackupRun, insertBackupRun, lastGoodBackupRun, recentBackupRuns, type BackupRunRow } from '../store/backup-repo';
import type { Db } from '../store/db';
import { BACKUP_PASSPHRASE_SECRET, loadBackupConfig, saveBackupConfig, type BackupConfig } from './backup-config';
import { BackupError, backupErrorOf } from './backup-error';
import { backupText, bothTexts } from './backup-texts';
import { readManifest } from './verify-backup';
import { backupsToPrune } from './retention';
import { BACKUP_PREFIX, takeBackup } from './take-backup';

export interface BackupServiceOptions {
  db: Db;
  dataDir: string;
  settings: SettingsService;
  mode: 'desktop' | 'server';
  version: string;
  now: () => number;
  zone: () => string;
  language: () => Language;
  /** Health changed (started, finished, failed): the header and tray read it again. */
  onChange: () => void;
  onProgress: (fraction: number) => void;
  /** A run ended, taken or failed (its id): the folder may hold a new backup and fewer old ones. */
  onFinished?: (runId: number) => void;
  /** Waits before each retry of a failed scheduled backup; the last one repeats until the next night. */
  retryDelaysMs?: number[];
}

export interface BackupService {
  config(): BackupConfigView;
  setConfig(config: BackupConfig & { passphrase?: string }): BackupConfigView;
  /** Throws BackupError('busy') while one runs. Failures are recorded, audited, retried (not manual ones), and thrown. */
  run(trigger: 'schedule' | 'manual' | 'retry'): Promise<BackupRunView>;
  health(): BackupHealth;
  list(): Promise<BackupListItem[]>;
  history(): BackupRunView[];
  /** Cancels retries and ends a backup in progress (recorded as failed) before the database closes. */
  stop(): Promise<void>;
}

const DEFAULT_RETRIES_MS = [5 * 60_000, 15 * 60_000, 60 * 60_000];

/** Nightly and on-demand backups: one at a time, never in the way of sending, every outcome recorded and audited. */
export function createBackupService(o: BackupServiceOptions): BackupService {
  const retries = o.retryDelaysMs ?? DEFAULT_RETRIES_MS;
  let running: Promise<BackupRunView> | null = null;
  let progress: number | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let nextRetryAt: number | null = null;
  let failuresInARow = 0;
  let stopping = false;

  const viewOf = (r: BackupRunRow): BackupRunView => ({
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    trigger: r.trigger,
    ok: r.ok,
    name: r.name,
    bytes: r.bytes,
    reason: r.ok === false ? (o.language() === 'en' ? r.errorEn : r.errorEs) : null,
    detail: r.detail,
  });

  const scheduleRetry = (): void => {
    if (retryTimer) clearTimeout(retryTimer);
    const delay = retries[Math.min(failuresInARow - 1, retries.length - 1)] ?? null;
    if (delay === null) return;
    nextRetryAt = o.now() + delay;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      nextRetryAt = null;
      void run('retry').catch(() => undefined);
    }, delay);
    retryTimer.unref();
  };

  const prune = async (config: BackupConfig): Promise<string[]> => {
    const stored = await listIn(config.folder);
    const doomed = backupsToPrune(stored, o.zone(), config);
    for (const b of doomed) await rm(join(config.folder, b.name), { recursive: true, force: true });
    return doomed.map((b) => b.name);
  };

  const attempt = async (trigger: 'schedule' | 'manual' | 'retry'): Promise<BackupRunView> => {
    const config = loadBackupConfig(o.db);
    const passphrase = config.encrypt ? o.settings.getSecret(BACKUP_PASSPHRASE_SECRET) : null;
    const id = insertBackupRun(o.db, { startedAt: o.now(), trigger, folder: config.folder, encrypted: config.encrypt });
    progress = 0;
    o.onChange();
    try {
      if (!config.folder) throw new BackupError('no_folder', '');
      if (config.encrypt && !passphrase) throw new BackupError('no_passphrase', '');
      const taken = await takeBackup({
        db: o.db,
        dataDir: o.dataDir,
        folder: config.folder,
        mode: o.mode,
        version: o.version,
        zone: o.zone(),
        now: o.now,
        passphrase,
        onProgress: (f) => {
          // Thrown inside the copy's step: SQLite's backup is closed and the partial folder removed.
          if (stopping) throw new BackupError('io', 'Avisa se cerró durante la copia / Avisa closed during the backup');
          progress = f;
          o.onProgress(f);
        },
      });
      const pruned = await prune(config).catch(() => []);
      finishBackupRun(o.db, id, { ok: true, at: o.now(), name: taken.name, bytes: taken.bytes });
      appendAudit(
        o.db,
        { actor: trigger === 'manual' ? 'usuario' : 'system', action: 'backup.completed', entity: 'backup', entityId: taken.name, data: { folder: config.folder, bytes: taken.bytes, encrypted: config.encrypt, pruned } },
        o.now(),
      );
      failuresInARow = 0;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      nextRetryAt = null;
    } catch (error) {
      const e = backupErrorOf(error);
      const words = bothTexts(e.code, e.code === 'folder_missing' ? config.folder : e.detail);
      finishBackupRun(o.db, id, { ok: false, at: o.now(), code: e.code, ...words, detail: e.detail });
      appendAudit(o.db, { actor: 'system', action: 'backup.failed', entity: 'backup', entityId: id, data: { code: e.code, detail: e.detail, folder: config.folder } }, o.now());
      // A person pressing the button sees the error at once; the nightly one tries again by itself.
      if (trigger !== 'manual' && config.folder && !stopping) {
        failuresInARow++;
        scheduleRetry();
      }
    } finally {
      progress = null;
      o.onChange();
      o.onFinished?.(id);
    }
    const row = recentBackupRuns(o.db, 1)[0];
    if (!row) throw new Error('backup run not recorded');
    return viewOf(row);
  };

  const run = (trigger: 'schedule' | 'manual' | 'retry'): Promise<BackupRunView> => {
    if (running) return Promise.reject(new BackupError('busy', ''));
    const current = attempt(trigger).finally(() => {
      running = null;
    });
    running = current;
    return current;
  };

  const configView = (): BackupConfigView => ({
    ...loadBackupConfig(o.db),
    hasPassphrase: o.settings.getSecret(BACKUP_PASSPHRASE_SECRET) !== null,
    secretsNote: o.mode === 'desktop' ? backupText(o.language(), 'secrets_reenter') : null,
  });

  return {
    config: configView,
    setConfig({ passphrase, ...config }) {
      saveBackupConfig(o.db, config);
      if (passphrase !== undefined) o.settings.setSecret(BACKUP_PASSPHRASE_SECRET, passphrase);
      return configView();
    },
    run,
    health() {
      const config = loadBackupConfig(o.db);
      const last = recentBackupRuns(o.db, 1)[0] ?? null;
      const good = lastGoodBackupRun(o.db);
      const failed = last && last.ok === false ? viewOf(last) : null;
      return {
        state: progress !== null ? 'running' : failed ? 'failed' : config.folder ? 'ok' : 'not_configured',
        lastGoodAt: good?.finishedAt ?? null,
        failure: failed && last ? { reason: failed.reason ?? '', detail: failed.detail ?? '', at: last.finishedAt ?? last.startedAt } : null,
        nextRetryAt,
        progress,
      };
    },
    async list() {
      const config = loadBackupConfig(o.db);
      return config.folder ? listIn(config.folder) : [];
    },
    history: () => recentBackupRuns(o.db).map(viewOf),
    async stop() {
      stopping = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await running?.catch(() => undefined);
    },
  };
}

/** The finished backups in a folder (a temporary `.avisa-….partial` is not one), newest first. */
async function listIn(folder: string): Promise<(BackupListItem & { name: string; takenAt: number })[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const out: BackupListItem[] = [];
  for (const name of names.filter((n) => n.startsWith(BACKUP_PREFIX))) {
    const manifest = await readManifest(join(folder, name)).catch(() => null);
    if (!manifest) continue;
    out.push({
      name,
      takenAt: manifest.takenAt,
      bytes: manifest.files.reduce((n, f) => n + f.size, 0),
      encrypted: manifest.encryption !== null,
      avisaVersion: manifest.avisaVersion,
    });
  }
  return out.sort((a, b) => b.takenAt - a.takenAt);
}
