import { prepared, type Db } from './db';

export interface ClinicDbRefusedRow {
  id: number;
  sourceKey: string;
  receivedAt: number;
  code: string;
  reasonEs: string;
  reasonEn: string;
  /** The source record as JSON. */
  record: string;
  takenAt: number | null;
}

const columns = `id, source_key AS sourceKey, received_at AS receivedAt, code, reason_es AS reasonEs,
  reason_en AS reasonEn, record, taken_at AS takenAt`;

/** Keeps a refused appointment; the same source key read again replaces its record and reason and lists it again. */
export function keepClinicDbRefused(
  db: Db,
  r: { sourceKey: string; at: number; code: string; reasonEs: string; reasonEn: string; record: string },
): void {
  prepared(
    db,
    `INSERT INTO clinic_db_refused (source_key, received_at, code, reason_es, reason_en, record)
     VALUES (@sourceKey, @at, @code, @reasonEs, @reasonEn, @record)
     ON CONFLICT (source_key) DO UPDATE SET received_at = excluded.received_at, code = excluded.code,
       reason_es = excluded.reason_es, reason_en = excluded.reason_en, record = excluded.record, taken_at = NULL`,
  ).run(r);
}

/** Refused appointments not taken since, newest first. */
export function openClinicDbRefused(db: Db, limit: number): ClinicDbRefusedRow[] {
  return prepared(
    db,
    `SELECT ${columns} FROM clinic_db_refused WHERE taken_at IS NULL ORDER BY received_at DESC, id DESC LIMIT ?`,
  ).all(limit) as ClinicDbRefusedRow[];
}

export function getClinicDbRefused(db: Db, id: number): ClinicDbRefusedRow | undefined {
  return prepared(db, `SELECT ${columns} FROM clinic_db_refused WHERE id = ?`).get(id) as ClinicDbRefusedRow | undefined;
}

/** The appointment was taken (from the list, or read again and accepted): it leaves the list; the row stays. True when it was listed. */
export function markClinicDbRefusedTaken(db: Db, sourceKey: string, at: number): boolean {
  return prepared(db, 'UPDATE clinic_db_refused SET taken_at = ? WHERE source_key = ? AND taken_at IS NULL').run(at, sourceKey).changes > 0;
}

/** Processed again and still refused: the newer reason replaces the old one. */
export function updateClinicDbRefusedReason(db: Db, id: number, r: { code: string; reasonEs: string; reasonEn: string }): void {
  prepared(db, 'UPDATE clinic_db_refused SET code = @code, reason_es = @reasonEs, reason_en = @reasonEn WHERE id = @id').run({
    id,
    ...r,
  });
}
