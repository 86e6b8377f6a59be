import { prepared, type Db } from './db';

export interface SessionRow {
  id: string;
  personId: number;
  transport: 'desktop' | 'browser';
  createdAt: number;
  lastSeenAt: number;
  idleMs: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** `id` is the SHA-256 of the session's token: the token itself is never stored. */
export function insertSession(db: Db, s: Omit<SessionRow, 'revokedAt' | 'lastSeenAt'> & { address: string | null }): void {
  prepared(
    db,
    `INSERT INTO person_sessions (id, person_id, transport, address, created_at, last_seen_at, idle_ms, expires_at)
     VALUES (@id, @personId, @transport, @address, @createdAt, @createdAt, @idleMs, @expiresAt)`,
  ).run(s);
}

export function getSession(db: Db, id: string): SessionRow | null {
  return (
    (prepared(
      db,
      `SELECT id, person_id AS personId, transport, created_at AS createdAt, last_seen_at AS lastSeenAt, idle_ms AS idleMs,
         expires_at AS expiresAt, revoked_at AS revokedAt FROM person_sessions WHERE id = ?`,
    ).get(id) as SessionRow | undefined) ?? null
  );
}

export function touchSession(db: Db, id: string, at: number): void {
  prepared(db, 'UPDATE person_sessions SET last_seen_at = ? WHERE id = ?').run(at, id);
}

export function revokeSession(db: Db, id: string, at: number): boolean {
  return prepared(db, 'UPDATE person_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
}

export function revokeSessionsOf(db: Db, personId: number, at: number): number {
  return prepared(db, 'UPDATE person_sessions SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL').run(at, personId)
    .changes;
}

// A session's idle or absolute limit has passed at @at (the same rule as resolveSession's, in SQL).
const PAST_LIMITS = '(expires_at <= @at OR @at - last_seen_at >= idle_ms)';

/** Sessions still open on paper whose idle or absolute limit has passed: nobody asked with them since. */
export function sessionsPastTheirLimits(db: Db, at: number): { id: string; personId: number }[] {
  return prepared(
    db,
    `SELECT id, person_id AS personId FROM person_sessions WHERE revoked_at IS NULL AND ${PAST_LIMITS}`,
  ).all({ at }) as { id: string; personId: number }[];
}

/** How many of a person's sessions are still live at `at`: not revoked, and within their idle and absolute limits. */
export function liveSessionCountOf(db: Db, personId: number, at: number): number {
  return (
    prepared(
      db,
      `SELECT COUNT(*) AS n FROM person_sessions
       WHERE person_id = @personId AND revoked_at IS NULL AND NOT ${PAST_LIMITS}`,
    ).get({ personId, at }) as { n: number }
  ).n;
}
