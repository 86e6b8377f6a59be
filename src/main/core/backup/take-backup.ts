import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DateTime } from 'luxon';
import { AUDIT_ANCHOR_FILE, readAnchor, verifyCopiedAudit, writeAnchor } from '../audit/audit-anchor';
import { KEY_FILE } from '../secrets/key-file-box';
import { copyDatabaseOnline, openCopy } from '../store/backup-repo';
import { DATABASE_FILE, type Db } from '../store/db';
import { integrityCheckOffThread } from '../store/integrity-check';
import { deriveKey, encryptFile, newKdfParams, sealText } from './backup-crypto';
import { BackupError, backupErrorOf } from './backup-error';
import { copyInto, fsyncPath, listFiles, sha256OfFile } from './backup-files';
import { ENCRYPTED_SUFFIX, MANIFEST_FILE, type Manifest, type ManifestContents } from './manifest';

export interface TakeBackupOptions {
  db: Db;
  dataDir: string;
  folder: string;
  mode: 'desktop' | 'server';
  version: string;
  zone: string;
  now: () => number;
  /** Set: every stored file AES-256-GCM under a key drawn from it. */
  passphrase: string | null;
  /** 0..1 as the copy goes: database pages, then the check, then documents. */
  onProgress?: (fraction: number) => void;
}

export interface TakenBackup {
  name: string;
  path: string;
  bytes: number;
  manifest: Manifest;
}

export const BACKUP_PREFIX = 'avisa-';
export const DOCUMENTS_DIR = 'documents';

/** The folder name says when, in the clinic's time, so a person finds "last night's" copy by eye. */
export const backupName = (at: number, zone: string): string =>
  `${BACKUP_PREFIX}${DateTime.fromMillis(at, { zone }).toFormat("yyyy-LL-dd'_'HHmmss")}`;

/**
 * One backup: a consistent copy of the live database (taken while sending goes on), the audit anchor copied first, the
 * documents and, in server mode, secret.key; written under a temporary name, flushed, checked on the copy
 * (integrity_check and the audit chain against the copied anchor), then renamed with its manifest. Nothing is left
 * under the final name unless every check passed.
 */
export async function takeBackup(o: TakeBackupOptions): Promise<TakenBackup> {
  const progress = o.onProgress ?? (() => undefined);
  const startedAt = o.now();
  try {
    const info = await stat(o.folder);
    if (!info.isDirectory()) throw new BackupError('folder_missing', o.folder);
  } catch (error) {
    throw error instanceof BackupError ? error : new BackupError('folder_missing', `${o.folder}: ${(error as Error).message}`);
  }
  await removeLeftovers(o.folder, o.dataDir);
  let name = backupName(startedAt, o.zone);
  if (existsSync(join(o.folder, name))) name = `${name}-${startedAt % 1000}`;
  const finalPath = join(o.folder, name);
  const partial = join(o.folder, `.${name}.partial`);
  // Encrypted: the clear copy is checked on this machine's disk, and only ciphertext reaches the backup folder.
  const work = o.passphrase ? join(o.dataDir, `.backup-staging-${name}`) : partial;
  try {
    await mkdir(partial);
    await mkdir(work, { recursive: true });

    // The anchor first, then the database: the copy then holds at least every event the anchor remembers.
    writeAnchor(o.db, o.dataDir, o.now());
    const anchor = readAnchor(o.dataDir);
    if (anchor) await copyFile(join(o.dataDir, AUDIT_ANCHOR_FILE), join(work, AUDIT_ANCHOR_FILE));
    await copyDatabaseOnline(o.db, join(work, DATABASE_FILE), (done, total) => progress(total ? (0.6 * done) / total : 0));
    await fsyncPath(join(work, DATABASE_FILE));

    const contents = await checkCopy(join(work, DATABASE_FILE), anchor, o.mode);
    progress(0.8);

    const kdf = o.passphrase ? newKdfParams() : null;
    const key = kdf && o.passphrase ? await deriveKey(o.passphrase, kdf) : null;
    // What goes into the backup, from where.
    const sources: { path: string; from: string }[] = [
      { path: DATABASE_FILE, from: join(work, DATABASE_FILE) },
      ...(anchor ? [{ path: AUDIT_ANCHOR_FILE, from: join(work, AUDIT_ANCHOR_FILE) }] : []),
      ...(await listFiles(join(o.dataDir, DOCUMENTS_DIR))).map((p) => ({ path: `${DOCUMENTS_DIR}/${p}`, from: join(o.dataDir, DOCUMENTS_DIR, p) })),
      ...(o.mode === 'server' && existsSync(join(o.dataDir, KEY_FILE)) ? [{ path: KEY_FILE, from: join(o.dataDir, KEY_FILE) }] : []),
    ];
    const files: Manifest['files'] = [];
    const dirs = new Set<string>([partial]);
    for (const [i, source] of sources.entries()) {
      const stored = key ? `${source.path}${ENCRYPTED_SUFFIX}` : source.path;
      const target = join(partial, stored);
      if (key) {
        await mkdir(dirname(target), { recursive: true });
        await encryptFile(source.from, target, key);
      } else if (source.from !== target) {
        await copyInto(source.from, target);
      }
      await fsyncPath(target);
      dirs.add(dirname(target));
      // Hashed as read back from the backup folder: the manifest vouches for what is there, not what was meant.
      files.push({ path: stored, size: (await stat(target)).size, sha256: await sha256OfFile(target) });
      progress(0.8 + (0.2 * (i + 1)) / sources.length);
    }
    const manifest: Manifest = {
      format: 'avisa-backup',
      formatVersion: 1,
      avisaVersion: o.version,
      takenAt: startedAt,
      zone: o.zone,
      mode: o.mode,
      encryption: key && kdf ? { cipher: 'aes-256-gcm', kdf: 'scrypt', salt: kdf.salt, N: kdf.N, r: kdf.r, p: kdf.p } : null,
      files,
      contents: key ? null : contents,
      sealedContents: key ? sealText(JSON.stringify(contents), key) : null,
    };
    await writeFile(join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    await fsyncPath(join(partial, MANIFEST_FILE));
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await fsyncPath(dir);
    await rename(partial, finalPath);
    await fsyncPath(o.folder);
    progress(1);
    return { name, path: finalPath, bytes: files.reduce((n, f) => n + f.size, 0), manifest };
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw backupErrorOf(error);
  } finally {
    if (work !== partial) await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A copy cut short by a crash or a power cut leaves its temporary folders: they are never a backup, so they go. */
async function removeLeftovers(folder: string, dataDir: string): Promise<void> {
  const stale = async (dir: string, test: (name: string) => boolean) => {
    for (const n of (await readdir(dir).catch(() => [] as string[])).filter(test)) await rm(join(dir, n), { recursive: true, force: true });
  };
  await stale(folder, (n) => n.startsWith(`.${BACKUP_PREFIX}`) && n.endsWith('.partial'));
  await stale(dataDir, (n) => n.startsWith('.backup-staging-'));
}

/** integrity_check (in a worker) and the audit chain against the copied anchor, on the copy; then what it holds. */
export async function checkCopy(file: string, anchor: ReturnType<typeof readAnchor>, mode: 'desktop' | 'server'): Promise<ManifestContents> {
  const integrity = await integrityCheckOffThread(file);
  if (!integrity.ok) throw new BackupError('check_failed', `integrity_check: ${integrity.problems.join('; ')}`);
  const copy = openCopy(file);
  try {
    const audit = await verifyCopiedAudit(copy, anchor);
    if (!audit.ok) throw new BackupError('check_failed', `audit: ${audit.reason ?? 'broken'} after ${audit.checked} events`);
    return {
      schemaVersion: integrity.schemaVersion,
      counts: integrity.counts,
      sending: integrity.sending,
      audit: { checked: audit.checked, lastId: anchor?.lastId ?? null, headHash: anchor?.headHash ?? null },
      secrets: mode === 'server' ? 'included' : 'reenter',
    };
  } finally {
    copy.close();
  }
}

export const readManifestFile = async (dir: string): Promise<unknown> => JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
