import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The data folder holds the database (patients, results, the encrypted secrets), the key that decrypts them in server
// mode, and every signed PDF. A folder that already existed (e.g. /var/lib/avisa at 0755), or files created under a
// permissive umask, would let any local account read them: at every start the folder is narrowed to its owner.

const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;

export interface DataFolderReport {
  /** Files and folders whose mode was wider and was narrowed now. */
  tightened: number;
}

export function secureDataFolder(dataDir: string, log: (line: string) => void = console.log): DataFolderReport {
  mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_DIR });
  // Windows has no POSIX modes: the profile folder's ACL protects it instead.
  if (process.platform === 'win32') return { tightened: 0 };
  restrictNewFiles();
  const tightened = narrow(dataDir);
  log(
    `[avisa] carpeta de datos solo para su dueño (0700, archivos 0600): ${dataDir}; ${tightened} ajustados / ` +
      `data folder owner-only (0700, files 0600): ${tightened} tightened`,
  );
  return { tightened };
}

/** Files Avisa creates from now on (the database's WAL, signed PDFs) start owner-only, with no window in between. */
function restrictNewFiles(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the pass at each start still narrows what they create.
  }
}

function narrow(path: string): number {
  const stat = lstatSync(path);
  // A link is not followed: what it points to is not Avisa's to change.
  if (stat.isSymbolicLink()) return 0;
  let count = 0;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== OWNER_ONLY_DIR) {
      chmodSync(path, OWNER_ONLY_DIR);
      count++;
    }
    for (const name of readdirSync(path)) count += narrow(join(path, name));
  } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    chmodSync(path, OWNER_ONLY_FILE);
    count++;
  }
  return count;
}
