import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/main/core/audit/audit-log';
import { readAnchor, verifyAnchoredAudit, writeAnchor } from '../../src/main/core/audit/audit-anchor';
import { BackupError } from '../../src/main/core/backup/backup-error';
import { restoreBackup } from '../../src/main/core/backup/restore';
import { takeBackup } from '../../src/main/core/backup/take-backup';
import { openBackup } from '../../src/main/core/backup/verify-backup';
import { openDatabase } from '../../src/main/core/store/db';
import { countByState } from '../../src/main/core/store/messages-repo';
import { readSettings } from '../../src/main/core/store/settings-repo';
import { tableCounts } from '../../src/main/core/store/backup-repo';
import { tempDir } from '../helpers/temp';
import { dispatchRig, type DispatchRig } from './dispatch-harness';

const base = (dataDir: string, folder: string) => ({ dataDir, folder, mode: 'server' as const, version: '9.9.9', zone: 'America/Lima', now: Date.now });
let rig: DispatchRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('a backup taken while messages go out', () => {
  it('restores to the same counts with a verified audit chain, the current data moved aside and sending paused', async () => {
    const dataDir = tempDir('avisa-live-');
    const folder = tempDir('avisa-backups-');
    rig = await dispatchRig(dataDir, 2000);
    mkdirSync(join(dataDir, 'documents', 'signed'), { recursive: true });
    writeFileSync(join(dataDir, 'documents', 'signed', 'resultado-1.pdf'), '%PDF-1.7 firmado');
    writeFileSync(join(dataDir, 'secret.key'), 'k'.repeat(64), { mode: 0o600 });
    writeAnchor(rig.db, dataDir, Date.now());

    rig.dispatcher.wake();
    // Started once sending is under way; the copy runs while the dispatcher keeps sending.
    await new Promise<void>((resolve) => {
      const t = setInterval(() => rig && rig.sent() > 50 && (clearInterval(t), resolve()), 5);
    });
    const fractions: number[] = [];
    const taken = await takeBackup({ ...base(dataDir, folder), db: rig.db, passphrase: null, onProgress: (f) => fractions.push(f) });
    await rig.allSent();
    await rig.close();
    rig = null;

    expect(fractions.at(-1)).toBe(1);
    expect(readdirSync(folder)).toEqual([taken.name]);
    const contents = taken.manifest.contents;
    expect(contents?.counts.messages).toBe(2000);
    expect(contents?.secrets).toBe('included');
    expect(taken.manifest.files.map((f) => f.path).sort()).toEqual(['audit-anchor.json', 'avisa.sqlite', 'documents/signed/resultado-1.pdf', 'manifest.json'].filter((p) => p !== 'manifest.json').concat('secret.key').sort());

    // Restored over the live folder, which has moved on since: nothing there is overwritten.
    const outcome = await restoreBackup({ from: taken.path, dataDir, passphrase: null, now: Date.now });
    expect(outcome.asideDir && existsSync(join(outcome.asideDir, 'avisa.sqlite'))).toBeTruthy();
    const aside = openDatabase(outcome.asideDir ?? '');
    expect(countByState(aside).sent).toBe(2000);
    aside.close();

    const db = openDatabase(dataDir);
    const counts = tableCounts(db);
    const before = contents?.counts ?? {};
    expect(counts.messages).toBe(before.messages);
    expect(counts.message_events).toBe(before.message_events);
    // Everything in the copy, plus the restore itself at the end of the chain.
    expect(counts.audit_events).toBe((before.audit_events ?? 0) + 1);
    expect(verifyAnchoredAudit(db, dataDir)).toMatchObject({ ok: true, anchored: true });
    const last = db.prepare('SELECT action, data FROM audit_events ORDER BY id DESC LIMIT 1').get() as { action: string; data: string };
    expect(last.action).toBe('backup.restored');
    expect(JSON.parse(last.data)).toMatchObject({ from: taken.path, takenAt: taken.manifest.takenAt });
    expect(readSettings(db).sendingPaused).toBe(true);
    // The copy caught sending mid-way: states add up, and the messages sent since wait in the queue.
    const states = countByState(db);
    expect((states.sent ?? 0) + (states.queued ?? 0) + (states.sending ?? 0)).toBe(2000);
    expect(states.sent ?? 0).toBeLessThan(2000);
    expect(readFileSync(join(dataDir, 'documents', 'signed', 'resultado-1.pdf'), 'utf8')).toBe('%PDF-1.7 firmado');
    db.close();
  });
});

describe('an encrypted backup', () => {
  it('holds no clear text, opens with the right passphrase and refuses a wrong one', async () => {
    const dataDir = tempDir('avisa-live-');
    const folder = tempDir('avisa-backups-');
    const db = openDatabase(dataDir);
    appendAudit(db, { actor: 'usuario', action: 'patient.created', entity: 'patient', entityId: 1, data: { name: 'Ana Quispe Mamani' } }, Date.now());
    writeAnchor(db, dataDir, Date.now());
    const taken = await takeBackup({ ...base(dataDir, folder), db, passphrase: 'clave de la clínica 2026', mode: 'desktop' });
    db.close();

    expect(taken.manifest.contents).toBeNull();
    expect(taken.manifest.encryption).toMatchObject({ cipher: 'aes-256-gcm', kdf: 'scrypt' });
    for (const f of taken.manifest.files) {
      const bytes = readFileSync(join(taken.path, f.path));
      expect(bytes.includes('Quispe')).toBe(false);
      expect(bytes.includes('SQLite format')).toBe(false);
    }
    expect(readFileSync(join(taken.path, 'manifest.json'), 'utf8')).not.toMatch(/Quispe|audit_events/);

    const wrong = await openBackup(taken.path, tempDir('avisa-open-'), 'otra clave').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(BackupError);
    expect((wrong as BackupError).code).toBe('wrong_passphrase');
    const none = await openBackup(taken.path, tempDir('avisa-open-'), null).catch((e: unknown) => e);
    expect((none as BackupError).code).toBe('no_passphrase');

    const target = tempDir('avisa-restored-');
    const outcome = await restoreBackup({ from: taken.path, dataDir: target, passphrase: 'clave de la clínica 2026', now: Date.now });
    expect(outcome.asideDir).toBeNull();
    expect(outcome.counts.audit_events).toBe(1);
    const restored = openDatabase(target);
    expect(verifyAnchoredAudit(restored, target).ok).toBe(true);
    expect((restored.prepare("SELECT data FROM audit_events WHERE action = 'patient.created'").get() as { data: string }).data).toContain('Ana Quispe');
    restored.close();
  });

  it('finds a changed byte before touching anything', async () => {
    const dataDir = tempDir('avisa-live-');
    const folder = tempDir('avisa-backups-');
    const db = openDatabase(dataDir);
    appendAudit(db, { actor: 'system', action: 'x', entity: 'y' }, Date.now());
    const taken = await takeBackup({ ...base(dataDir, folder), db, passphrase: null });
    db.close();
    const file = join(taken.path, 'avisa.sqlite');
    const bytes = readFileSync(file);
    bytes.writeUInt8((bytes.readUInt8(bytes.length - 10) ^ 0xff), bytes.length - 10);
    writeFileSync(file, bytes);
    const target = tempDir('avisa-restored-');
    writeFileSync(join(target, 'avisa.sqlite'), 'current');
    const error = await restoreBackup({ from: taken.path, dataDir: target, passphrase: null, now: Date.now }).catch((e: unknown) => e);
    expect((error as BackupError).code).toBe('hash_mismatch');
    expect(readFileSync(join(target, 'avisa.sqlite'), 'utf8')).toBe('current');
    expect(readdirSync(target)).toEqual(['avisa.sqlite']);
  });
});

describe('a backup that cannot finish', () => {
  it('leaves nothing under a backup name when the folder disappears mid-copy, and says the folder is gone', async () => {
    const dataDir = tempDir('avisa-live-');
    const root = tempDir('avisa-usb-');
    const folder = join(root, 'copias');
    mkdirSync(folder);
    const db = openDatabase(dataDir);
    // Enough pages that the copy takes several steps.
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) appendAudit(db, { actor: 'system', action: 'e', entity: 'x', data: { pad: 'x'.repeat(400) } }, i);
    })();
    let pulled = false;
    const error = await takeBackup({
      ...base(dataDir, folder),
      db,
      passphrase: null,
      onProgress: (f) => {
        if (f > 0.1 && !pulled) {
          pulled = true;
          rmSync(root, { recursive: true, force: true });
        }
      },
    }).catch((e: unknown) => e);
    expect(pulled).toBe(true);
    expect(error).toBeInstanceOf(BackupError);
    expect(['folder_missing', 'folder_unavailable']).toContain((error as BackupError).code);
    expect(existsSync(folder)).toBe(false);
    // The live database did not notice.
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n).toBe(3000);
    db.close();
  });

  it('refuses a copy whose audit chain is broken, and keeps no backup of it', async () => {
    const dataDir = tempDir('avisa-live-');
    const folder = tempDir('avisa-backups-');
    const db = openDatabase(dataDir);
    for (let i = 0; i < 5; i++) appendAudit(db, { actor: 'system', action: `e${i}`, entity: 'x' }, 1000 + i);
    writeAnchor(db, dataDir, 2000);
    db.prepare("UPDATE audit_events SET data = '{\"edited\":true}' WHERE id = 3").run();
    const error = await takeBackup({ ...base(dataDir, folder), db, passphrase: null }).catch((e: unknown) => e);
    expect((error as BackupError).code).toBe('check_failed');
    expect((error as BackupError).detail).toMatch(/audit: edited/);
    expect(readdirSync(folder)).toEqual([]);
    expect(readAnchor(dataDir)?.count).toBe(5);
    db.close();
  });
});
