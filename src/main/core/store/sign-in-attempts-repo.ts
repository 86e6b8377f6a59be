import { prepared, type Db } from './db';

/** Failed sign-ins of one account or one network address, and the lockout they caused (0: none). */
export interface AttemptCounter {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export function getAttemptCounter(db: Db, key: string): AttemptCounter | null {
  const row = prepared(
    db,
    'SELECT failures, last_failure AS lastFailure, locked_until AS lockedUntil FROM sign_in_attempts WHERE key = ?',
  ).get(key) as AttemptCounter | undefined;
  return row ?? null;
}

export function putAttemptCounter(db: Db, key: string, c: AttemptCounter): void {
  prepared(
    db,
    `INSERT INTO sign_in_attempts (key, failures, last_failure, locked_until) VALUES (@key, @failures, @lastFailure, @lockedUntil)
     ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
       locked_until = excluded.locked_until`,
  ).run({ key, ...c });
}

export function deleteAttemptCounter(db: Db, key: string): void {
  prepared(db, 'DELETE FROM sign_in_attempts WHERE key = ?').run(key);
}

/** Drops counters that neither lock anything at `at` nor had a failure since `before`: they would count as zero. */
export function forgetStaleAttempts(db: Db, before: number, at: number): number {
  return prepared(db, 'DELETE FROM sign_in_attempts WHERE locked_until <= ? AND last_failure < ?').run(at, before).changes;
}
