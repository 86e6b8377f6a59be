import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationsStatus, StorageFault } from '../../shared/operations';
import { appendAudit } from './audit/audit-log';
import { createBackupService, type BackupService, type BackupServiceOptions } from './backup/backup-service';
import { loadBackupConfig } from './backup/backup-config';
import type { EventBus } from './events';
import { applyCalendarJobs } from './jobs/calendar-jobs';
import { createJobRegistry, type JobRegistry } from './jobs/job-registry';
import { DATABASE_FILE } from './store/db';
import { integrityCheckOffThread } from './store/integrity-check';
import { recordJobRun } from './store/job-runs-repo';
import { createStorageWatch, type StorageWatch } from './storage/storage-watch';
import { openBackup } from './backup/verify-backup';

/** What the backups need of the app is handed on to them as is. */
export interface OperationsDeps
  extends Pick<BackupServiceOptions, 'db' | 'dataDir' | 'settings' | 'mode' | 'version' | 'now' | 'language'> {
  clinicZone: () => string;
  siteZones: () => string[];
  bus: EventBus;
  /** The header and tray read the status again. */
  announce: () => void;
  advancePlanning: () => void;
  /** Throws a readable warning when the signing certificate is expired or close to it. */
  checkCertificate: () => void;
  wakeDispatcher: () => void;
}

export interface Operations {
  backups: BackupService;
  jobs: JobRegistry;
  storage: StorageWatch;
  status(): OperationsStatus;
  /** Sets the calendar jobs again (backup time, sites' zones changed). */
  refreshJobs(): void;
  /** Checks a backup in full in a scratch folder, touching nothing else. */
  checkBackup(path: string, passphrase: string | null): ReturnType<typeof openBackup>;
  start(): void;
  /** Before the database closes: jobs cancelled, a backup in progress ended. */
  stop(): Promise<void>;
}

const STORAGE_RECHECK_SECONDS = 30;

/** Backups, calendar jobs and the disk under the database: what keeps Avisa running unattended without losing data. */
export function createOperations(d: OperationsDeps): Operations {
  const jobs = createJobRegistry({ db: d.db, now: d.now, onChange: (name) => d.bus.emit('jobs.changed', { name }) });
  const storage = createStorageWatch({
    now: d.now,
    language: d.language,
    probe: async (code) => {
      // A write that must reach the file; for a damaged file, a full check as well.
      recordJobRun(d.db, 'storage.recheck', d.now(), null);
      if (code === 'corrupt') {
        const result = await integrityCheckOffThread(join(d.dataDir, DATABASE_FILE));
        if (!result.ok) throw Object.assign(new Error(result.problems.join('; ')), { code: 'SQLITE_CORRUPT' });
      }
    },
    onChange: (fault: StorageFault | null) => {
      if (fault) {
        // Looked at again every half minute: a lock or a freed disk lets sending go on by itself.
        jobs.set({ name: 'storage.recheck', rule: { kind: 'every', seconds: STORAGE_RECHECK_SECONDS }, zone: d.clinicZone(), run: async () => void (await storage.recheck()) });
      } else {
        jobs.remove('storage.recheck');
        try {
          appendAudit(d.db, { actor: 'system', action: 'storage.recovered', entity: 'storage', entityId: null }, d.now());
        } catch {
          // Told again at the next fault.
        }
        d.wakeDispatcher();
      }
      if (fault) {
        try {
          appendAudit(d.db, { actor: 'system', action: 'storage.fault', entity: 'storage', entityId: fault.code, data: { detail: fault.detail } }, d.now());
        } catch {
          // The disk that failed may not take the record either; the header and tray still say it.
        }
      }
      d.announce();
    },
  });
  const backups = createBackupService({
    db: d.db,
    dataDir: d.dataDir,
    settings: d.settings,
    mode: d.mode,
    version: d.version,
    now: d.now,
    zone: d.clinicZone,
    language: d.language,
    onChange: d.announce,
    onProgress: (fraction) => d.bus.emit('backup.progress', { fraction }),
    onFinished: (id) => d.bus.emit('backups.changed', { id }),
  });
  const calendar = {
    clinicZone: d.clinicZone,
    siteZones: d.siteZones,
    backupTime: () => {
      const config = loadBackupConfig(d.db);
      return config.folder ? config.time : null;
    },
    runBackup: async () => {
      const run = await backups.run('schedule');
      if (run.ok === false) throw new Error(run.reason ?? 'backup failed');
    },
    advancePlanning: d.advancePlanning,
    checkCertificate: d.checkCertificate,
    dailyCapsReset: () => d.wakeDispatcher(),
  };

  return {
    backups,
    jobs,
    storage,
    status: () => ({ backup: backups.health(), storage: storage.fault() }),
    refreshJobs: () => applyCalendarJobs(jobs, calendar),
    async checkBackup(path, passphrase) {
      const scratch = await mkdtemp(join(d.dataDir, '.restore-check-'));
      try {
        return await openBackup(path, join(scratch, 'copy'), passphrase);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    start: () => applyCalendarJobs(jobs, calendar),
    async stop() {
      jobs.stop();
      await backups.stop();
    },
  };
}
