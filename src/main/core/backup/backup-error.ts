import type { BackupTextKey } from './backup-texts';

/** A backup or restore that could not finish: `code` picks the words a person reads, `detail` the technical line. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupTextKey,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The OS's or SQLite's error code, named in the reason a receptionist reads. */
export function backupErrorOf(error: unknown): BackupError {
  if (error instanceof BackupError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new BackupError('folder_missing', detail);
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new BackupError('disk_full', detail);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return new BackupError('no_permission', detail);
    case 'EIO':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'ENETUNREACH':
    case 'ESTALE':
    case 'ETIMEDOUT':
    case 'ENXIO':
      return new BackupError('folder_unavailable', detail);
    default:
      if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) return new BackupError('folder_unavailable', detail);
      return new BackupError('io', typeof code === 'string' ? `${code}: ${detail}` : detail);
  }
}
