import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { secureDataFolder } from '../../src/main/core/store/data-folder';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

const mode = (path: string) => statSync(path).mode & 0o777;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
  );
}

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it('a pre-existing open folder and the files in it are narrowed to the owner at start, and new files start so', async () => {
    const dataDir = join(tempDir('avisa-perm-'), 'avisa');
    mkdirSync(join(dataDir, 'documents'), { recursive: true });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'documents'), 0o775);
    writeFileSync(join(dataDir, 'documents', 'old.pdf'), '%PDF-1.4', { mode: 0o644 });
    chmodSync(join(dataDir, 'documents', 'old.pdf'), 0o644);
    const lines: string[] = [];
    const report = secureDataFolder(dataDir, (l) => lines.push(l));
    expect(report.tightened).toBe(3);
    expect(lines.join('\n')).toMatch(/0700.*3/);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'documents'))).toBe(0o700);
    expect(mode(join(dataDir, 'documents', 'old.pdf'))).toBe(0o600);

    // Widened again (a restore from backup), then the app starts: the database, its WAL and everything else is
    // owner-only.
    chmodSync(dataDir, 0o755);
    const { core } = await startCore(dataDir);
    cores.push(core);
    await core.invoke('setup.complete', {
      clinicName: 'Clínica',
      sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    });
    expect(mode(dataDir)).toBe(0o700);
    const files = walk(dataDir);
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const f of files) {
      if (!existsSync(f)) continue;
      expect(mode(f) & 0o077, f).toBe(0);
    }
  });
});
