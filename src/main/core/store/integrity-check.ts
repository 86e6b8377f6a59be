import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// PRAGMA integrity_check reads every page in one statement, and counting a million rows takes a while too: on a large
// copy together they take seconds. They run in a worker thread with its own read-only connection, so the main thread
// keeps dispatching meanwhile.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.prepare('PRAGMA integrity_check').all().map((r) => String(Object.values(r)[0]));
  const counts = {};
  if (rows.length === 1 && rows[0] === 'ok') {
    for (const table of workerData.tables) counts[table] = db.prepare('SELECT COUNT(*) AS n FROM ' + table).get().n;
  }
  const schemaVersion = db.prepare('SELECT MAX(version) AS v FROM schema_version').get().v || 0;
  const sending = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE state = 'sending'").get().n;
  parentPort.postMessage({ ok: true, rows, counts, schemaVersion, sending });
} catch (error) {
  parentPort.postMessage({ ok: false, code: error && error.code ? String(error.code) : 'error', message: String(error && error.message ? error.message : error) });
} finally {
  if (db) db.close();
}
`;

import { COUNTED_TABLES, type TableCounts } from './backup-repo';

export type IntegrityResult =
  | { ok: true; counts: TableCounts; schemaVersion: number; sending: number }
  | { ok: false; problems: string[]; code: string };

/** `ok` when SQLite finds nothing wrong in the file; otherwise the first problems it names. */
export function integrityCheckOffThread(file: string): Promise<IntegrityResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, tables: COUNTED_TABLES } });
    type Answer = { ok: true; rows: string[]; counts: TableCounts; schemaVersion: number; sending: number } | { ok: false; code: string; message: string };
    worker.once('message', (m: Answer) => {
      if (!m.ok) resolve({ ok: false, problems: [m.message], code: m.code });
      else if (m.rows.length === 1 && m.rows[0] === 'ok') resolve({ ok: true, counts: m.counts, schemaVersion: m.schemaVersion, sending: m.sending });
      else resolve({ ok: false, problems: m.rows.slice(0, 10), code: 'SQLITE_CORRUPT' });
    });
    worker.once('error', reject);
  });
}
