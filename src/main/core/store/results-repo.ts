import type { ResultItem, ResultKind, ResultStatus } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface ResultRecord {
  kind: ResultKind;
  patientId: number;
  siteId: number | null;
  serviceId: number | null;
  source: string;
  sourceKey: string;
  title: string;
  approvedAt: number | null;
  approvedBy: string | null;
  status: ResultStatus;
  reviewReason: string | null;
}

/** Idempotent by source key; returns the id of the one result for that key. */
export function upsertResult(db: Db, r: ResultRecord, at: number): number {
  prepared(db, 
    `INSERT INTO results (kind, patient_id, site_id, service_id, source, source_key, title, approved_at, approved_by,
      status, review_reason, created_at, updated_at)
     VALUES (@kind, @patientId, @siteId, @serviceId, @source, @sourceKey, @title, @approvedAt, @approvedBy,
      @status, @reviewReason, @at, @at)
     ON CONFLICT(source_key) DO NOTHING`,
  ).run({ ...r, at });
  return (prepared(db, 'SELECT id FROM results WHERE source_key = ?').get(r.sourceKey) as { id: number }).id;
}

export function setResultStatus(db: Db, id: number, status: ResultStatus, at: number): void {
  prepared(db, 'UPDATE results SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

export function listResults(db: Db, q: { limit: number; offset: number }): { rows: ResultItem[]; total: number } {
  const rows = prepared(db, 
      `SELECT r.id, r.kind, r.title, r.patient_id AS patientId, p.first_names || ' ' || p.last_names AS patientName,
        COALESCE(s.name, '') AS siteName, r.approved_at AS approvedAt, r.approved_by AS approvedBy, r.status,
        r.review_reason AS reviewReason
       FROM results r JOIN patients p ON p.id = r.patient_id LEFT JOIN sites s ON s.id = r.site_id
       ORDER BY r.id DESC LIMIT ? OFFSET ?`,
    )
    .all(q.limit, q.offset) as ResultItem[];
  const { n } = prepared(db, 'SELECT COUNT(*) AS n FROM results').get() as { n: number };
  return { rows, total: n };
}
