import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { patientMessages } from '../../src/main/core/store/evidence-repo';
import { dueMessageIds, listMessages, moreUrgentDue, nextDueAt, staleSendingIds } from '../../src/main/core/store/messages-repo';
import { dueQueuedReminders } from '../../src/main/core/store/reminders-repo';
import { tempDir } from '../helpers/temp';

// Which index each query on messages reads, asked of SQLite itself (EXPLAIN QUERY PLAN) for the statements the store
// really runs: an index only stays if a query that matters uses it, and dropping one must not send any of these to a
// scan of the whole table.

/** Runs `fn` on a fresh connection and returns every statement it prepared, with the arguments it ran them with. */
function statementsOf(fn: (db: Db) => void): { db: Db; runs: { sql: string; args: unknown[] }[] } {
  const db = openDatabase(tempDir());
  const runs: { sql: string; args: unknown[] }[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    for (const method of ['all', 'get', 'run'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      Object.defineProperty(statement, method, {
        value: (...args: unknown[]) => {
          runs.push({ sql, args });
          return original(...args);
        },
      });
    }
    return statement;
  }) as Database.Database['prepare'];
  fn(db);
  return { db, runs };
}

const planOf = (db: Db, run: { sql: string; args: unknown[] }): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${run.sql}`).all(...run.args) as { detail: string }[]).map((r) => r.detail).join(' / ');

describe('indexes on messages', () => {
  it('each query that matters reads the index meant for it, and none scans the table', () => {
    const { db, runs } = statementsOf((db) => {
      dueMessageIds(db, 1_000, 50);
      dueMessageIds(db, 1_000, 50, ['cloud-api']);
      moreUrgentDue(db, 1_000, 3);
      nextDueAt(db);
      dueQueuedReminders(db, 1_000);
      staleSendingIds(db, 1_000);
      patientMessages(db, 1, 0, 1_000);
      listMessages(db, { state: 'failed', limit: 50, offset: 0 });
    });
    const plans = runs.filter((r) => /FROM messages/.test(r.sql)).map((r) => planOf(db, r));
    const expected = [
      'messages_due', // the dispatcher's claim
      'messages_due',
      'messages_urgent', // "is something more urgent due?" before each send
      'messages_due', // when the dispatcher wakes next
      'messages_due', // the catch-up's due reminders
      'messages_sending', // reconciliation after a crash
      'messages_patient', // the evidence export of one patient
      'messages_urgent', // Mensajes filtered by state (page)
      'messages_urgent', // and its count
    ];
    expect(plans).toHaveLength(expected.length);
    plans.forEach((plan, i) => expect(plan).toContain(`INDEX ${expected[i]}`));
    for (const plan of plans) expect(plan).not.toMatch(/SCAN (messages|m)\b(?! USING)/);
  });

  it('messages_created is gone: no query read it', () => {
    const db = openDatabase(tempDir());
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'`).all() as { name: string }[]).map((r) => r.name);
    expect(names).not.toContain('messages_created');
    expect(names).toEqual(expect.arrayContaining(['messages_due', 'messages_urgent', 'messages_patient', 'messages_sending']));
  });
});
