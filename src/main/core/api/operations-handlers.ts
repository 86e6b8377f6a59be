import { existsSync, statSync } from 'node:fs';
import type { Language } from '../../../shared/domain';
import type { OperationsHandlers, RestoreCheck } from '../../../shared/operations';
import { BackupError } from '../backup/backup-error';
import { backupText } from '../backup/backup-texts';
import type { Operations } from '../operations';

type Handlers = { [N in keyof OperationsHandlers]: (args: Parameters<OperationsHandlers[N]>[0]) => ReturnType<OperationsHandlers[N]> };

/** A backup failure as the API error the UI shows: the code stable, the words the person's. */
export class OperationsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Ajustes → Copias de seguridad, Restaurar and Estado. */
export function operationsHandlers(o: {
  ops: Operations;
  language: () => Language;
  audit: (action: string, entity: string, entityId: string | number | null, data?: Record<string, unknown>) => void;
  /** Leaves the restore for the next start and asks the host to restart the core. */
  scheduleRestore: (path: string, passphrase: string | null) => void;
}): Handlers {
  const asApiError = (error: unknown): never => {
    if (error instanceof BackupError) throw new OperationsError(`backup.${error.code}`, backupText(o.language(), error.code, error.detail));
    throw error;
  };
  const check = async (path: string, passphrase: string | null): Promise<RestoreCheck> => {
    const opened = await o.ops.checkBackup(path, passphrase).catch(asApiError);
    return {
      takenAt: opened.manifest.takenAt,
      avisaVersion: opened.manifest.avisaVersion,
      counts: opened.contents.counts,
      sending: opened.contents.sending,
      secrets: opened.contents.secrets,
    };
  };
  return {
    'backup.config': () => o.ops.backups.config(),
    'backup.setConfig': (args) => {
      if (args.folder && !(existsSync(args.folder) && statSync(args.folder).isDirectory())) {
        throw new OperationsError('backup.folder_missing', backupText(o.language(), 'folder_missing', args.folder));
      }
      if (args.encrypt && !args.passphrase && !o.ops.backups.config().hasPassphrase) {
        throw new OperationsError('backup.no_passphrase', backupText(o.language(), 'no_passphrase'));
      }
      const view = o.ops.backups.setConfig(args);
      o.audit('backup.configured', 'backup', null, { folder: args.folder, time: args.time, keepDaily: args.keepDaily, keepWeekly: args.keepWeekly, encrypt: args.encrypt });
      o.ops.refreshJobs();
      return view;
    },
    'backup.runNow': async () => {
      const run = await o.ops.backups.run('manual').catch(asApiError);
      if (run.ok === false) throw new OperationsError('backup.failed', run.reason ?? '');
      return run;
    },
    'backup.list': () => o.ops.backups.list(),
    'backup.history': () => o.ops.backups.history(),
    'backup.checkRestore': (args) => check(args.path, args.passphrase ?? null),
    'backup.restore': async (args) => {
      const result = await check(args.path, args.passphrase ?? null);
      o.audit('backup.restore_requested', 'backup', result.takenAt, { path: args.path });
      o.scheduleRestore(args.path, args.passphrase ?? null);
      return result;
    },
    'jobs.list': () => o.ops.jobs.list(),
    'storage.retry': async () => {
      await o.ops.storage.recheck();
      return o.ops.status();
    },
  };
}
