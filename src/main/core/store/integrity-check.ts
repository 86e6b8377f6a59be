import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// PRAGMA integrity_check reads every page in one statement: on a large copy it takes seconds. It runs in a worker
// thread with its own read-only connection, so the main thread keeps dispatching meanwhile.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.prepare('PRAGMA integrity_check').all().map((r) => String(Object.values(r)[0]));
  parentPort.postMessage({ ok: true, rows });
} catch (error) {
  parentPort.postMessage({ ok: false, code: error && error.code ? String(error.code) : 'error', message: String(error && error.message ? error.message : error) });
} finally {
  if (db) db.close();
}
`;

export type IntegrityResult = { ok: true } | { ok: false; problems: string[]; code: string };

/** `ok` when SQLite finds nothing wrong in the file; otherwise the first problems it names. */
export function integrityCheckOffThread(file: string): Promise<IntegrityResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { file, driver } });
    worker.once('message', (m: { ok: true; rows: string[] } | { ok: false; code: string; message: string }) => {
      if (!m.ok) resolve({ ok: false, problems: [m.message], code: m.code });
      else if (m.rows.length === 1 && m.rows[0] === 'ok') resolve({ ok: true });
      else resolve({ ok: false, problems: m.rows.slice(0, 10), code: 'SQLITE_CORRUPT' });
    });
    worker.once('error', reject);
  });
}
