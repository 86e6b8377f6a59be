import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackupService } from '../../src/main/core/backup/backup-service';
import { createRestartableApp } from '../../src/main/core/restartable-app';
import type { AvisaCore } from '../../src/main/core/app-types';
import { settingsService } from '../../src/main/core/settings/settings-service';
import { openDatabase } from '../../src/main/core/store/db';
import type { AvisaEvent } from '../../src/shared/api';
import { demoSetup, startCore } from '../helpers/core';
import { tempDir, testBox } from '../helpers/temp';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop().catch(() => undefined);
});

/** The CLI as a person runs it (npm run restore -- …), without blocking this process's event loop. */
function restoreCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../scripts/restore.ts'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('Ajustes → Copias de seguridad', () => {
  it('takes a copy now with progress, lists it, records and audits it; a missing folder fails with the reason in the header', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', demoSetup);
    const folder = tempDir('avisa-backups-');
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));

    const view = await call('backup.setConfig', { folder, time: '22:00', keepDaily: 14, keepWeekly: 8, encrypt: false });
    expect(view).toMatchObject({ folder, time: '22:00', encrypt: false, hasPassphrase: false, secretsNote: null });
    expect((await call('jobs.list', {})).find((j) => j.name === 'backup.nightly')).toMatchObject({ zone: 'America/Lima', rule: '0 22 * * * (22:00)' });

    const run = await call('backup.runNow', {});
    expect(run).toMatchObject({ ok: true, trigger: 'manual' });
    const fractions = events.filter((e) => e.name === 'backup.progress').map((e) => (e.data as { fraction: number }).fraction);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBeGreaterThan(2);
    const list = await call('backup.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]?.name).toBe(run.name);
    expect(core.status().operations?.backup).toMatchObject({ state: 'ok', failure: null, progress: null });

    // The USB disk is pulled out.
    rmSync(folder, { recursive: true, force: true });
    const failed = await core.invoke('backup.runNow', {});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toMatch(/No se encontró la carpeta de copias .*Conecte el disco USB/);
    const health = core.status().operations?.backup;
    expect(health?.state).toBe('failed');
    expect(health?.failure?.reason).toMatch(/No se encontró la carpeta de copias/);
    expect(health?.lastGoodAt).not.toBeNull();
    const history = await call('backup.history', {});
    expect(history.map((h) => h.ok)).toEqual([false, true]);
    // Both outcomes are in the audit trail, which still verifies.
    expect((await call('audit.verify', {})).ok).toBe(true);

    // Sending never waited for the backup: the demo clinic's queue moved on meanwhile or is moving.
    expect(core.status().sendingPaused).toBe(false);
  });

  it('retries a failed nightly backup by itself and is healthy again once the folder is back', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    const settings = settingsService(db, testBox, Date.now);
    const folder = join(tempDir('avisa-share-'), 'copias');
    const changes: string[] = [];
    const service = createBackupService({
      db, dataDir, settings, mode: 'server', version: '1.0.0', now: Date.now, zone: () => 'America/Lima', language: () => 'es',
      onChange: () => changes.push(service.health().state), onProgress: () => undefined, retryDelaysMs: [200],
    });
    service.setConfig({ folder, time: '22:00', keepDaily: 14, keepWeekly: 8, encrypt: false });
    const first = await service.run('schedule');
    expect(first.ok).toBe(false);
    expect(service.health()).toMatchObject({ state: 'failed' });
    expect(service.health().nextRetryAt).not.toBeNull();
    // The share comes back before the retry.
    mkdirSync(folder);
    const end = Date.now() + 10_000;
    while (service.health().state !== 'ok' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(service.health()).toMatchObject({ state: 'ok', failure: null, nextRetryAt: null });
    expect(service.history().map((h) => [h.trigger, h.ok])).toEqual([['retry', true], ['schedule', false]]);
    expect(readdirSync(folder)).toHaveLength(1);
    const actions = db.prepare("SELECT action FROM audit_events WHERE entity = 'backup' ORDER BY id").all() as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(['backup.failed', 'backup.completed']);
    await service.stop();
    db.close();
  });
});

describe('restore', () => {
  it('from the command line: refuses while Avisa runs, then restores with the passphrase file; Avisa starts on it with sending paused', async () => {
    const dataDir = tempDir();
    const { core, call } = await startCore(dataDir);
    await call('setup.complete', demoSetup);
    const folder = tempDir('avisa-backups-');
    await call('backup.setConfig', { folder, time: '22:00', keepDaily: 14, keepWeekly: 8, encrypt: true, passphrase: 'clave-2026' });
    const run = await call('backup.runNow', {});
    const backup = join(folder, run.name ?? '');
    const passFile = join(tempDir(), 'clave.txt');
    writeFileSync(passFile, 'clave-2026\n');

    const refused = await restoreCli(['--from', backup, '--data-dir', dataDir, '--passphrase-file', passFile]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/Avisa está abierto sobre esta carpeta/);
    await core.stop();

    const wrongFile = join(tempDir(), 'otra.txt');
    writeFileSync(wrongFile, 'otra\n');
    const wrong = await restoreCli(['--from', backup, '--data-dir', dataDir, '--passphrase-file', wrongFile]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/La contraseña no abre esta copia/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('antes-de-restaurar'))).toBe(false);

    const ok = await restoreCli(['--from', backup, '--data-dir', dataDir, '--passphrase-file', passFile]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Copia restaurada/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('antes-de-restaurar'))).toBe(true);

    const again = await startCore(dataDir);
    cores.push(again.core);
    const status = again.core.status();
    expect(status.sendingPaused).toBe(true);
    const audit = await again.call('audit.verify', {});
    expect(audit.ok).toBe(true);
  });

  it('from Ajustes: checks first, then the core restarts on the copy with the data moved aside and the restore audited', async () => {
    const dataDir = tempDir();
    const core = createRestartableApp({ dataDir, secretBox: testBox, mode: 'server', webhookPort: 0, retryBaseMs: 50 });
    cores.push(core);
    await core.start();
    const call = async (name: Parameters<AvisaCore['invoke']>[0], args: unknown) => {
      const r = await core.invoke(name, args);
      if (!r.ok) throw new Error(r.error.message);
      return r.result as Record<string, unknown>;
    };
    await call('setup.complete', demoSetup);
    await call('settings.update', { sendingPaused: true });
    // A send was in flight when the copy was taken (its outcome never written): as after a crash.
    const other = new Database(join(dataDir, 'avisa.sqlite'));
    const inFlight = (other.prepare("SELECT id FROM messages WHERE state = 'queued' ORDER BY id LIMIT 1").get() as { id: number }).id;
    other.prepare("UPDATE messages SET state = 'sending', sending_at = ? WHERE id = ?").run(Date.now() - 3_600_000, inFlight);
    other.close();
    const folder = tempDir('avisa-backups-');
    await call('backup.setConfig', { folder, time: '22:00', keepDaily: 14, keepWeekly: 8, encrypt: false });
    const run = await call('backup.runNow', {});
    const backup = join(folder, String(run.name));
    // After the backup: a patient the copy does not have.
    await call('patients.create', { firstNames: 'Después', lastNames: 'De La Copia', documentType: 'DNI', documentNumber: '77777777', phone: '+51987000111' });

    const checked = await call('backup.checkRestore', { path: backup });
    expect(checked).toMatchObject({ secrets: 'included', sending: 1 });
    await call('backup.restore', { path: backup });
    // The core restarts on its own; calls made meanwhile wait for the new one.
    const end = Date.now() + 15_000;
    while (!readdirSync(dataDir).some((f) => f.startsWith('antes-de-restaurar')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));

    const patients = (await call('patients.list', { search: 'Después' })) as { total: number };
    expect(patients.total).toBe(0);
    expect(core.status().sendingPaused).toBe(true);
    expect(readdirSync(dataDir).some((f) => f.startsWith('antes-de-restaurar'))).toBe(true);
    expect(existsSync(join(dataDir, 'restore-pending.json'))).toBe(false);
    // The send in flight at backup time is reconciled under the crash rules: unconfirmed, for a person to decide.
    const timeline = (await call('messages.timeline', { id: inFlight })) as { message: { state: string; attempts: number } };
    expect(timeline.message.state).toBe('unknown');
    expect((await call('audit.verify', {})).ok).toBe(true);
  });
});
