import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/main/core/audit/audit-log';
import { BackupError } from '../../src/main/core/backup/backup-error';
import { backupText } from '../../src/main/core/backup/backup-texts';
import { takeBackup } from '../../src/main/core/backup/take-backup';
import { openDatabase } from '../../src/main/core/store/db';
import { demoSetup, startCore } from '../helpers/core';
import { tempDir as tempDataDir } from '../helpers/temp';

type Core = Awaited<ReturnType<typeof startCore>>;
let running: Core | null = null;
const mounts: string[] = [];
afterEach(async () => {
  await running?.core.stop().catch(() => undefined);
  running = null;
});
afterAll(() => {
  for (const m of mounts.splice(0)) {
    spawnSync('umount', ['-l', m]);
    rmSync(m, { recursive: true, force: true });
  }
});

const until = async (what: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
};

const query = <T>(dataDir: string, sql: string): T => {
  const db = new Database(join(dataDir, 'avisa.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
};
const messageCount = (dataDir: string): number => query<{ n: number }>(dataDir, 'SELECT COUNT(*) AS n FROM messages').n;
/** Messages that left: accepted by the (demo) provider, whatever happened after. */
const leftCount = (dataDir: string): number =>
  query<{ n: number }>(dataDir, "SELECT COUNT(*) AS n FROM messages WHERE state IN ('sent', 'delivered', 'read')").n;

/** A small real filesystem (tmpfs with a size limit); null where this machine does not allow mounting. */
function smallDisk(megabytes: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'avisa-small-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  mounts.push(dir);
  return dir;
}

describe('a locked database', () => {
  it('pauses sending with a reason a person can act on, loses nothing, and goes on when the lock is gone', async () => {
    running = await startCore();
    const { call, core, dataDir } = running;
    await call('setup.complete', demoSetup);
    const queued = messageCount(dataDir);
    expect(queued).toBeGreaterThan(0);

    // Another program (an outside copy tool) holds the write lock past Avisa's 5-second wait.
    const other = new Database(join(dataDir, 'avisa.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    const answer = await core.invoke('patients.create', { firstNames: 'Ana', lastNames: 'Quispe', documentType: 'DNI', documentNumber: '45678912', phone: '+51987654321' });
    expect(answer.ok).toBe(false);
    const fault = core.status().operations?.storage;
    expect(fault).toMatchObject({ code: 'busy' });
    expect(fault?.reason).toMatch(/bloqueada la base de datos.*El envío se pausó; nada se perdió/);
    expect(fault?.detail).toMatch(/SQLITE_BUSY/);

    // Still locked: trying again keeps the fault.
    expect((await call('storage.retry', {})).storage).toMatchObject({ code: 'busy' });
    other.exec('ROLLBACK');
    other.close();
    expect((await call('storage.retry', {})).storage).toBeNull();
    expect(core.status().operations?.storage).toBeNull();
    expect(messageCount(dataDir)).toBe(queued);
    const audit = await call('audit.verify', {});
    expect(audit.ok).toBe(true);
  }, 30_000);
});

const disk = smallDisk(8);
if (!disk) console.warn('Full disk: skipped, this machine does not allow mounting a small tmpfs (run as root).');

describe.skipIf(!disk)('a full disk under the database', () => {
  it('pauses sending with the reason, keeps every queued message, and goes on sending once space is freed', async () => {
    const dataDir = join(disk ?? '', 'data');
    mkdirSync(dataDir);
    running = await startCore(dataDir);
    const { call, core } = running;
    await call('setup.complete', demoSetup);
    const queued = messageCount(dataDir);
    // Fill every byte left, then keep the demo clinic busy until a write cannot grow the file.
    const filler = join(disk ?? '', 'filler');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (let i = 0; ; i++) writeFileSync(`${filler}-${i}`, chunk);
    } catch {
      // ENOSPC: the disk is full.
    }
    for (let i = 0; i < 200 && !core.status().operations?.storage; i++) {
      await core.invoke('patients.create', { firstNames: 'Paciente', lastNames: `N${i}`, documentType: 'DNI', documentNumber: String(40_000_000 + i), phone: `+5198${String(1_000_000 + i)}` });
    }
    await until(() => core.status().operations?.storage != null);
    const fault = core.status().operations?.storage;
    expect(fault?.code).toBe('full');
    expect(fault?.reason).toMatch(/disco donde Avisa guarda sus datos está lleno\. El envío se pausó; nada de la cola se perdió/);
    expect(core.status().queued).toBeGreaterThan(0);

    for (const f of readdirSync(disk ?? '').filter((n) => n.startsWith('filler'))) rmSync(join(disk ?? '', f));
    await call('storage.retry', {});
    expect(core.status().operations?.storage).toBeNull();
    // Nothing queued was lost, and sending goes on by itself.
    expect(messageCount(dataDir)).toBeGreaterThanOrEqual(queued);
    const left = leftCount(dataDir);
    await until(() => leftCount(dataDir) > left, 30_000);
    expect((await call('audit.verify', {})).ok).toBe(true);
  }, 90_000);
});

const usb = smallDisk(1);

describe.skipIf(!usb)('a full backup disk', () => {
  it('fails the backup with the reason, leaves no partial copy there, and does not touch the database', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) appendAudit(db, { actor: 'system', action: 'e', entity: 'x', data: { pad: 'x'.repeat(500) } }, i);
    })();
    const error = await takeBackup({ db, dataDir, folder: usb ?? '', mode: 'server', version: '1', zone: 'America/Lima', now: Date.now, passphrase: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('disk_full');
    expect(backupText('es', 'disk_full')).toMatch(/No hay espacio suficiente en la carpeta de copias/);
    expect(readdirSync(usb ?? '')).toEqual([]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n).toBe(4000);
    db.close();
  });
});
