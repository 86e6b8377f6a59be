import type { Language } from '../../../shared/domain';
import type { StorageFault } from '../../../shared/operations';
import { backupText } from '../backup/backup-texts';
import { storageFaultCode } from '../store/storage-errors';

export interface StorageWatch {
  /** Records a storage fault if the error is one; true when it was (the caller then stops what it was doing). */
  report(error: unknown): boolean;
  fault(): StorageFault | null;
  /** Tries the database again (a small write; for a damaged file, a full check): clears the fault when it answers. */
  recheck(): Promise<StorageFault | null>;
}

const TEXT_KEY = { full: 'storage_full', busy: 'storage_busy', corrupt: 'storage_corrupt', io: 'storage_io' } as const;

/**
 * Holds the storage fault in memory: with the disk full or the file locked it could not be written to the database.
 * While one is held, sending is paused (the dispatcher asks isPaused), the queue stays as it is in the file, and the
 * header and tray say why.
 */
export function createStorageWatch(o: {
  now: () => number;
  language: () => Language;
  /** A write that must commit (and, for a damaged file, an integrity check) to call the database healthy again. */
  probe: (code: StorageFault['code']) => Promise<void>;
  onChange: (fault: StorageFault | null) => void;
}): StorageWatch {
  let current: StorageFault | null = null;
  return {
    report(error) {
      const code = storageFaultCode(error);
      if (!code) return false;
      const detail = `${(error as { code?: string }).code ?? ''}: ${error instanceof Error ? error.message : String(error)}`;
      // A damaged file outranks a full disk, which outranks a lock: the more serious reason stays on screen.
      const rank = { busy: 0, io: 1, full: 2, corrupt: 3 } as const;
      if (current && rank[current.code] > rank[code]) return true;
      current = { code, reason: backupText(o.language(), TEXT_KEY[code]), detail, at: o.now() };
      console.warn('[avisa] almacenamiento:', detail);
      o.onChange(current);
      return true;
    },
    fault: () => (current ? { ...current, reason: backupText(o.language(), TEXT_KEY[current.code]) } : null),
    async recheck() {
      const held = current;
      if (!held) return null;
      try {
        await o.probe(held.code);
        current = null;
        o.onChange(null);
      } catch (error) {
        if (!storageFaultCode(error)) throw error;
        current = { ...held, detail: `${(error as { code?: string }).code ?? ''}: ${(error as Error).message}`, at: o.now() };
      }
      return current;
    },
  };
}
