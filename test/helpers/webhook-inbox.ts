import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/store/db';

// The Cloud API's webhooks are stored before Meta gets its 200 and applied just after: a test that has seen the 200
// waits here for them to be applied before it checks what they did, or did not, cause.

/** Resolves once every webhook body stored in the app's database has been applied. */
export async function webhooksApplied(dataDir: string, timeout = 10_000): Promise<void> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const pending = () => (db.prepare('SELECT COUNT(*) AS n FROM webhook_inbox WHERE processed_at IS NULL').get() as { n: number }).n;
    await expect.poll(pending, { timeout }).toBe(0);
  } finally {
    db.close();
  }
}
