import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { SecretBox } from '../../src/main/core/secrets/secret-box';

// A folder made inside a test goes after that test; one made for the whole file (in beforeAll) after the file, once
// what used it has stopped (removing it earlier pulls the data folder from under a server still running).
const testDirs: string[] = [];
const fileDirs: string[] = [];
let inTest = false;

/** A fresh data directory, removed after the test (or after the file, when made outside a test). */
export function tempDir(prefix = 'avisa-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  (inTest ? testDirs : fileDirs).push(dir);
  return dir;
}

beforeEach(() => {
  inTest = true;
});

afterEach(() => {
  inTest = false;
  // A server the file stops later may still be writing here: what cannot go now goes after the file.
  for (const dir of testDirs.splice(0)) if (!removed(dir)) fileDirs.push(dir);
});

afterAll(() => {
  for (const dir of fileDirs.splice(0)) if (!removed(dir)) console.warn(`[test] no se pudo borrar ${dir}`);
});

/** Removes a folder; false when something was still writing into it (the test itself has finished either way). */
function removed(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    return true;
  } catch {
    return false;
  }
}

/** Reversible but not clear text, for tests that do not exercise encryption itself. */
export const testBox: SecretBox = {
  kind: 'memory',
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};
