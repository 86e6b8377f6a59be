import type { MessageState } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface RangeQuery {
  from: number;
  to: number;
  /** Offset of the clinic's local time from UTC, so days split at local midnight. */
  utcOffsetMinutes: number;
}

export function countStatesInRange(db: Db, q: RangeQuery): Partial<Record<MessageState, number>> {
  const rows = prepared(db, 'SELECT state, COUNT(*) AS n FROM messages WHERE created_at >= ? AND created_at < ? GROUP BY state')
    .all(q.from, q.to) as { state: MessageState; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

export function countRepliedInRange(db: Db, q: RangeQuery): number {
  const row = prepared(db, 
      `SELECT COUNT(DISTINCT r.message_id) AS n FROM replies r JOIN messages m ON m.id = r.message_id
       WHERE m.created_at >= ? AND m.created_at < ?`,
    )
    .get(q.from, q.to) as { n: number };
  return row.n;
}

export function failedByReason(db: Db, q: RangeQuery): { code: string; reason: string; count: number }[] {
  return prepared(db, 
      `SELECT COALESCE(last_error_code, '') AS code, COALESCE(last_error_reason, '') AS reason, COUNT(*) AS count
       FROM messages WHERE state = 'failed' AND created_at >= ? AND created_at < ?
       GROUP BY code, reason ORDER BY count DESC`,
    )
    .all(q.from, q.to) as { code: string; reason: string; count: number }[];
}

export function countsByDay(
  db: Db,
  q: RangeQuery,
): { day: string; sent: number; delivered: number; read: number; failed: number }[] {
  return prepared(db, 
      `SELECT date((created_at / 1000) + @offset * 60, 'unixepoch') AS day,
        SUM(state IN ('sent', 'delivered', 'read')) AS sent,
        SUM(state IN ('delivered', 'read')) AS delivered,
        SUM(state = 'read') AS read,
        SUM(state = 'failed') AS failed
       FROM messages WHERE created_at >= @from AND created_at < @to
       GROUP BY day ORDER BY day`,
    )
    .all({ from: q.from, to: q.to, offset: q.utcOffsetMinutes }) as {
    day: string;
    sent: number;
    delivered: number;
    read: number;
    failed: number;
  }[];
}
