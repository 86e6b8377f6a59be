import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { appendAudit } from '../audit/audit-log';
import { writeAnchor } from '../audit/audit-anchor';
import { KEY_FILE } from '../secrets/key-file-box';
import { DATABASE_FILE, openDatabase } from '../store/db';
import { writeSettings } from '../store/settings-repo';
import { openBackup } from './verify-backup';
import type { Manifest } from './manifest';

export interface RestoreOptions {
  /** The backup folder (one avisa-YYYY-MM-DD_HHMMSS). */
  from: string;
  dataDir: string;
  passphrase: string | null;
  now: () => number;
  actor?: string;
}

export interface RestoreOutcome {
  manifest: Manifest;
  /** Where the data that was there before now lies, untouched. */
  asideDir: string | null;
  counts: Record<string, number>;
  /** Messages the copy held in `sending`: the crash rules reconcile them when Avisa starts. */
  sending: number;
}

// Avisa's files in its data folder; anything else there (Electron's own) is left alone.
const DATA_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'audit-anchor.json', 'documents', KEY_FILE];

/**
 * Restores a backup into dataDir while Avisa is not running on it: the backup is checked in full first (hashes,
 * passphrase, integrity, audit chain, counts); only then is the current data moved aside — never overwritten — and the
 * copy moved in. The restore is appended to the restored audit chain, and sending starts paused: messages queued in the
 * copy may have gone out after it was taken, so a person looks before they go.
 */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreOutcome> {
  await mkdir(o.dataDir, { recursive: true });
  const stamp = DateTime.fromMillis(o.now()).toFormat("yyyy-LL-dd'_'HHmmss");
  const staging = join(o.dataDir, `.restore-staging-${stamp}`);
  const opened = await openBackup(o.from, staging, o.passphrase);
  let asideDir: string | null = null;
  try {
    // secret.key is replaced only by the one the backup brings: without it the stored secrets could not be read.
    const present = DATA_FILES.filter((f) => existsSync(join(o.dataDir, f)) && (f !== KEY_FILE || existsSync(join(staging, KEY_FILE))));
    if (present.length > 0) {
      asideDir = join(o.dataDir, `antes-de-restaurar-${stamp}`);
      await mkdir(asideDir);
      for (const f of present) await rename(join(o.dataDir, f), join(asideDir, f));
    }
    for (const f of await readdir(staging)) await rename(join(staging, f), join(o.dataDir, f));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  // Opened through the normal path: a copy from an older Avisa is migrated like any database.
  const db = openDatabase(o.dataDir);
  try {
    writeSettings(db, { sendingPaused: true });
    appendAudit(
      db,
      {
        actor: o.actor ?? 'system',
        action: 'backup.restored',
        entity: 'backup',
        entityId: opened.manifest.takenAt,
        data: { from: o.from, takenAt: opened.manifest.takenAt, avisaVersion: opened.manifest.avisaVersion, aside: asideDir, counts: opened.contents.counts },
      },
      o.now(),
    );
    writeAnchor(db, o.dataDir, o.now());
  } finally {
    db.close();
  }
  return { manifest: opened.manifest, asideDir, counts: opened.contents.counts, sending: opened.contents.sending };
}
