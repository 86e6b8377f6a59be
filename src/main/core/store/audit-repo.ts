import { prepared, type Db } from './db';

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  /** The signed-in person who acted; null for the system, patients, and events before people existed. */
  personId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: string;
  prevHash: string;
  hash: string;
}

export function lastAuditHash(db: Db): string | null {
  const row = prepared(db, 'SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as
    | { hash: string }
    | undefined;
  return row?.hash ?? null;
}

export function insertAuditRow(db: Db, row: Omit<AuditRow, 'id'>): number {
  return Number(
    prepared(db, 
        `INSERT INTO audit_events (at, actor, person_id, action, entity, entity_id, data, prev_hash, hash)
         VALUES (@at, @actor, @personId, @action, @entity, @entityId, @data, @prevHash, @hash)`,
      )
      .run(row).lastInsertRowid,
  );
}

export function* iterateAuditRows(db: Db): Generator<AuditRow> {
  yield* prepared(db, 
      `SELECT id, at, actor, person_id AS personId, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
       FROM audit_events ORDER BY id`,
    )
    .iterate() as IterableIterator<AuditRow>;
}

/** The newest event and how many there are: what the anchor file outside the database remembers. */
export function auditHead(db: Db): { lastId: number; headHash: string; count: number } | null {
  const head = prepared(db, 'SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  if (!head) return null;
  const { n } = prepared(db, 'SELECT COUNT(*) AS n FROM audit_events').get() as { n: number };
  return { lastId: head.id, headHash: head.hash, count: n };
}

export function auditHashAt(db: Db, id: number): string | null {
  return (prepared(db, 'SELECT hash FROM audit_events WHERE id = ?').get(id) as { hash: string } | undefined)?.hash ?? null;
}

export function auditCount(db: Db): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n;
}

export function auditLast(db: Db): { id: number; hash: string } | null {
  return (prepared(db, 'SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined) ?? null;
}

/** One slice of the chain in order, for checks that must let other work run between slices. */
export function auditRowsAfter(db: Db, afterId: number, limit: number): AuditRow[] {
  return prepared(db, 
    `SELECT id, at, actor, person_id AS personId, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
     FROM audit_events WHERE id > ? ORDER BY id LIMIT ?`,
  ).all(afterId, limit) as AuditRow[];
}
