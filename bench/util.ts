import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/main/core/app';
import type { SecretBox } from '../src/main/core/secrets/secret-box';

/**
 * A reproducible pseudo-random sequence in [0, 1) (glibc's linear congruential generator). The arithmetic is done in
 * 32-bit integers: in plain doubles the product exceeds 2^53, the low bits are lost and the sequence falls into a
 * cycle of about 13,000 values, so a seeded data set used a few hundred of its patients and slots.
 */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) & 0x7fffffff;
    return s / 2_147_483_648;
  };
}

export function elapsedMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'avisa-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const plainBox: SecretBox = {
  kind: 'memory',
  encrypt: (s) => Buffer.from(s),
  decrypt: (b) => b.toString(),
};

/** The app started in server mode on a fresh data folder, and a `call` that throws on an error answer. */
export async function startBenchApp(dir: string) {
  const app = createApp({ dataDir: join(dir, 'data'), secretBox: plainBox, mode: 'server', webhookPort: 0 });
  await app.start();
  const call = async (name: string, args: unknown) => {
    const r = await app.invoke(name, args);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.result;
  };
  return { app, call };
}
