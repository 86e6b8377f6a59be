import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretBox } from '../secrets/secret-box';
import { restoreBackup, type RestoreOutcome } from './restore';

// Ajustes → Restaurar cannot swap the database under a running core: it leaves this note, and the core restores before
// it opens the database on its next start (the restart it asks its host for, or the next launch after a crash).
const PENDING_FILE = 'restore-pending.json';

export const pendingRestoreExists = (dataDir: string): boolean => existsSync(join(dataDir, PENDING_FILE));

export function requestRestore(dataDir: string, box: SecretBox, from: string, passphrase: string | null): void {
  const sealed = passphrase ? box.encrypt(passphrase).toString('base64') : null;
  writeFileSync(join(dataDir, PENDING_FILE), JSON.stringify({ from, passphrase: sealed }), { mode: 0o600 });
}

/** Runs a pending restore, if any; the note is removed whatever happens, so a bad backup cannot stop every start. */
export async function runPendingRestore(dataDir: string, box: SecretBox, now: () => number): Promise<RestoreOutcome | { failed: string } | null> {
  const file = join(dataDir, PENDING_FILE);
  if (!existsSync(file)) return null;
  try {
    const { from, passphrase } = JSON.parse(readFileSync(file, 'utf8')) as { from: string; passphrase: string | null };
    rmSync(file, { force: true });
    return await restoreBackup({ from, dataDir, passphrase: passphrase ? box.decrypt(Buffer.from(passphrase, 'base64')) : null, now, actor: 'usuario' });
  } catch (error) {
    rmSync(file, { force: true });
    console.error('[avisa] restauración pendiente:', error instanceof Error ? error.message : error);
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}
