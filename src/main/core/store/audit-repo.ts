import { prepared, type Db } from './db';

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
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
        `INSERT INTO audit_events (at, actor, action, entity, entity_id, data, prev_hash, hash)
         VALUES (@at, @actor, @action, @entity, @entityId, @data, @prevHash, @hash)`,
      )
      .run(row).lastInsertRowid,
  );
}

export function* iterateAuditRows(db: Db): Generator<AuditRow> {
  yield* prepared(db, 
      `SELECT id, at, actor, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
       FROM audit_events ORDER BY id`,
    )
    .iterate() as IterableIterator<AuditRow>;
}
