import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { SecretBox } from '../../src/main/core/secrets/secret-box';

const dirs: string[] = [];

/** A fresh data directory, removed after the test. */
export function tempDir(prefix = 'avisa-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reversible but not clear text, for tests that do not exercise encryption itself. */
export const testBox: SecretBox = {
  kind: 'memory',
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};
