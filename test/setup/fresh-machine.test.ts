import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

// The README's test command on a machine that lacks the tools: PATH holds only what the test puts there, and the fixed
// locations (PostgreSQL's, Orthanc's…) are read under an empty root.
const script = resolve(__dirname, '../../scripts/test.sh');
const which = (name: string): string => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

function strippedPath(dir: string, links: string[], recorders: string[]): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of links) symlinkSync(which(name), join(bin, name));
  // A stand-in that only records that it was called, and with what.
  for (const name of recorders) {
    writeFileSync(join(bin, name), `#!${which('bash')}\necho "${name} $*" >> "${join(dir, 'calls')}"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function run(bin: string, dir: string, args: string[] = []) {
  return spawnSync(join(bin, 'bash'), [script, ...args], {
    encoding: 'utf8',
    env: { PATH: bin, AVISA_TOOLS_ROOT: join(dir, 'empty-root') },
  });
}

const calls = (dir: string): string[] =>
  existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];

describe('the fresh-machine test command', () => {
  it('finds every tool the tests need on this machine', () => {
    const r = spawnSync('bash', [script, '--check'], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('without a way to install, prints one line per missing tool with its package and runs nothing', () => {
    const dir = tempDir('avisa-fresh-');
    // `id` is there: the check must not depend on being root to report; npm records whether it was run.
    const bin = strippedPath(dir, ['bash', 'node', 'id'], ['npm']);
    const r = run(bin, dir);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const missing = lines.filter((l) => l.startsWith('missing: '));
    expect(missing).toContain('missing: pdfsig (Debian package: poppler-utils)');
    expect(missing).toContain('missing: pdftocairo (Debian package: poppler-utils)');
    expect(missing).toContain('missing: chromium (Debian package: chromium)');
    expect(missing).toContain('missing: initdb (PostgreSQL) (Debian package: postgresql)');
    expect(missing).toContain('missing: python3 hl7 module (Debian package: python3-hl7)');
    expect(missing).toContain('missing: Xvfb (Debian package: xvfb)');
    // node and the stand-in npm are on the PATH: not reported.
    expect(missing.some((l) => l.includes('nodejs') || l.startsWith('missing: npm'))).toBe(false);
    expect(missing).toHaveLength(18);
    expect(lines.at(-1)).toMatch(/^Install them as root \(apt-get install chromium poppler-utils qpdf openssl postgresql /);
    expect(calls(dir)).toEqual([]);
  });

  it('lists only what is missing: a machine without poppler-utils gets three lines', () => {
    const dir = tempDir('avisa-fresh-');
    const present = ['bash', 'node', 'npm', 'id', 'qpdf', 'openssl', 'dump2dcm', 'softhsm2-util', 'pkcs11-tool', 'Xvfb', 'python3', 'make', 'g++'];
    const bin = strippedPath(dir, present, []);
    const r = spawnSync(join(bin, 'bash'), [script, '--check'], { encoding: 'utf8', env: { PATH: bin } });
    expect(r.stdout.trim().split('\n')).toEqual([
      'missing: pdfsig (Debian package: poppler-utils)',
      'missing: pdftotext (Debian package: poppler-utils)',
      'missing: pdftocairo (Debian package: poppler-utils)',
    ]);
    expect(r.status).toBe(1);
  });

  it('as root, updates the package lists and installs each missing package once before anything else', () => {
    const dir = tempDir('avisa-fresh-');
    const bin = strippedPath(dir, ['bash', 'node', 'id'], ['apt-get', 'npm']);
    const r = run(bin, dir);
    const [update, install, ...rest] = calls(dir);
    expect(update).toBe('apt-get update -qq');
    expect(install).toMatch(/^apt-get install -y -qq --no-install-recommends chromium poppler-utils qpdf openssl postgresql mariadb-server orthanc orthanc-dicomweb dcmtk softhsm2 opensc python3-hl7 xvfb python3 make g\+\+$/);
    // The stand-in installed nothing: the tools are still missing, so npm never ran.
    expect(rest).toEqual([]);
    expect(r.status).toBe(1);
  });
});
