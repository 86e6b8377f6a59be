import { prepared, type Db } from './db';

export interface Hl7RefusedRow {
  id: number;
  receivedAt: number;
  remote: string;
  controlId: string | null;
  messageType: string | null;
  ack: 'AE' | 'AR';
  code: string;
  reasonEs: string;
  reasonEn: string;
  raw: string;
  takenAt: number | null;
}

const columns = `id, received_at AS receivedAt, remote, control_id AS controlId, message_type AS messageType, ack, code,
  reason_es AS reasonEs, reason_en AS reasonEn, raw, taken_at AS takenAt`;

export function insertHl7Refused(db: Db, r: Omit<Hl7RefusedRow, 'id' | 'takenAt'>): number {
  return Number(
    prepared(
      db,
      `INSERT INTO hl7_refused (received_at, remote, control_id, message_type, ack, code, reason_es, reason_en, raw)
       VALUES (@receivedAt, @remote, @controlId, @messageType, @ack, @code, @reasonEs, @reasonEn, @raw)`,
    ).run(r).lastInsertRowid,
  );
}

/** Refused messages not taken since, newest first. */
export function openHl7Refused(db: Db, limit: number): Hl7RefusedRow[] {
  return prepared(db, `SELECT ${columns} FROM hl7_refused WHERE taken_at IS NULL ORDER BY received_at DESC, id DESC LIMIT ?`).all(
    limit,
  ) as Hl7RefusedRow[];
}

export function getHl7Refused(db: Db, id: number): Hl7RefusedRow | undefined {
  return prepared(db, `SELECT ${columns} FROM hl7_refused WHERE id = ?`).get(id) as Hl7RefusedRow | undefined;
}

/** The message was processed again and taken: it leaves the list (the row stays, for the record). */
export function markHl7RefusedTaken(db: Db, id: number, at: number): boolean {
  return prepared(db, 'UPDATE hl7_refused SET taken_at = ? WHERE id = ? AND taken_at IS NULL').run(at, id).changes === 1;
}

/** A later refusal of the same message replaces the reason instead of listing it twice. */
export function updateHl7RefusedReason(db: Db, id: number, r: { code: string; reasonEs: string; reasonEn: string; at: number }): void {
  prepared(db, 'UPDATE hl7_refused SET code = @code, reason_es = @reasonEs, reason_en = @reasonEn, received_at = @at WHERE id = @id').run({
    id,
    ...r,
  });
}
