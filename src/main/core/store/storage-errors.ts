import type { StorageFault } from '../../../shared/operations';

/**
 * Whether an error came from the disk or the file under Avisa's database rather than from the data: a full disk,
 * another program holding the lock, a damaged file, a failing device. Those pause sending; everything else does not.
 */
export function storageFaultCode(error: unknown): StorageFault['code'] | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return null;
}
