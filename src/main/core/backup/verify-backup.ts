import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AUDIT_ANCHOR_FILE, readAnchor } from '../audit/audit-anchor';
import { DATABASE_FILE } from '../store/db';
import { migrations } from '../store/migrations';
import { decryptFile, deriveKey, openText, WrongPassphraseError } from './backup-crypto';
import { BackupError, backupErrorOf } from './backup-error';
import { copyInto, sha256OfFile } from './backup-files';
import { checkCopy, readManifestFile } from './take-backup';
import { contentsSchema, ENCRYPTED_SUFFIX, kdfOf, manifestSchema, type Manifest, type ManifestContents } from './manifest';

export interface OpenedBackup {
  manifest: Manifest;
  contents: ManifestContents;
  /** Where the clear files were laid out: avisa.sqlite, audit-anchor.json, documents/, secret.key. */
  dir: string;
}

export async function readManifest(backup: string): Promise<Manifest> {
  if (!existsSync(join(backup, 'manifest.json'))) throw new BackupError('not_a_backup', backup);
  const parsed = manifestSchema.safeParse(await readManifestFile(backup).catch((e: unknown) => ({ error: String(e) })));
  if (!parsed.success) throw new BackupError('not_a_backup', `${backup}: ${parsed.error.issues[0]?.message ?? 'manifest'}`);
  return parsed.data;
}

/**
 * Checks a backup and lays its files out in clear under `into`: every stored file against the manifest's size and
 * SHA-256, the passphrase against the sealed contents, then the database copy (integrity_check, the audit chain
 * against the copied anchor) and its counts against the manifest's. Throws BackupError; `into` is removed on failure.
 */
export async function openBackup(backup: string, into: string, passphrase: string | null): Promise<OpenedBackup> {
  const manifest = await readManifest(backup);
  try {
    for (const f of manifest.files) {
      const file = join(backup, f.path);
      const size = await stat(file).then((s) => s.size, () => -1);
      if (size !== f.size || (await sha256OfFile(file)) !== f.sha256) throw new BackupError('hash_mismatch', f.path);
    }
    const kdf = kdfOf(manifest);
    let key: Buffer | null = null;
    let contents: ManifestContents;
    if (kdf) {
      if (!passphrase) throw new BackupError('no_passphrase', backup);
      key = await deriveKey(passphrase, kdf);
      contents = contentsSchema.parse(JSON.parse(openText(manifest.sealedContents ?? '', key)));
    } else {
      if (!manifest.contents) throw new BackupError('not_a_backup', 'manifest without contents');
      contents = manifest.contents;
    }
    const latest = migrations.at(-1)?.version ?? 0;
    if (contents.schemaVersion > latest) throw new BackupError('newer_version', `${manifest.avisaVersion}, schema ${contents.schemaVersion}`);
    await mkdir(into, { recursive: true });
    for (const f of manifest.files) {
      const clear = key ? f.path.slice(0, -ENCRYPTED_SUFFIX.length) : f.path;
      const target = join(into, clear);
      await mkdir(dirname(target), { recursive: true });
      if (key) await decryptFile(join(backup, f.path), target, key);
      else await copyInto(join(backup, f.path), target);
    }
    const anchor = existsSync(join(into, AUDIT_ANCHOR_FILE)) ? readAnchor(into) : null;
    const found = await checkCopy(join(into, DATABASE_FILE), anchor, manifest.mode);
    for (const [table, n] of Object.entries(contents.counts)) {
      if (found.counts[table] !== n) throw new BackupError('check_failed', `${table}: ${found.counts[table]} ≠ ${n}`);
    }
    return { manifest, contents, dir: into };
  } catch (error) {
    await rm(into, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof WrongPassphraseError) throw new BackupError('wrong_passphrase', backup);
    throw backupErrorOf(error);
  }
}
