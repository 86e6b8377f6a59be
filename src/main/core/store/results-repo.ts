import type { ResultFilter, ResultItem, ResultKind, ResultStatus } from '../../../shared/domain';
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

const resultFilters: Record<ResultFilter, string> = {
  incoming: '1 = 1',
  signed: 'r.signed = 1',
  sent: "(r.status = 'sent' OR m.state IN ('sent', 'delivered', 'read'))",
  failed: "m.state IN ('failed', 'expired')",
  dismissed: "r.status = 'dismissed'",
};

/** A `ResultItem`: the result, its patient and site, its intake, and its latest message (a resend is a newer row). */
const resultItemColumns = `r.id, r.kind, r.title, r.patient_id AS patientId, p.first_names || ' ' || p.last_names AS patientName,
  COALESCE(s.name, '') AS siteName, COALESCE(r.manual_approved_at, r.approved_at) AS approvedAt,
  COALESCE(r.manual_approved_by, r.approved_by) AS approvedBy, r.status, r.review_reason AS reviewReason,
  r.signed, r.signature_level AS signatureLevel, r.signature_warning AS signatureWarning, i.id AS intakeId,
  m.id AS messageId, m.state AS messageState, m.last_error_reason AS messageError,
  m.sent_at AS sentAt, m.delivered_at AS deliveredAt, m.read_at AS readAt, COALESCE(i.received_at, r.created_at) AS receivedAt`;
const resultItemJoins = `FROM results r JOIN patients p ON p.id = r.patient_id LEFT JOIN sites s ON s.id = r.site_id
  LEFT JOIN result_intake i ON i.result_id = r.id
  LEFT JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE result_id = r.id)`;

type ResultItemRow = Omit<ResultItem, 'signed'> & { signed: number };
const resultItemOf = (row: ResultItemRow): ResultItem => ({ ...row, signed: row.signed === 1 });

/** Resultados, newest first, each with its latest message. */
export function listResults(
  db: Db,
  q: { limit: number; offset: number; filter?: ResultFilter },
): { rows: ResultItem[]; total: number } {
  const from = `${resultItemJoins} WHERE ${resultFilters[q.filter ?? 'incoming']}`;
  const rows = prepared(db, `SELECT ${resultItemColumns} ${from} ORDER BY r.id DESC LIMIT ? OFFSET ?`).all(
    q.limit,
    q.offset,
  ) as ResultItemRow[];
  const { n } = prepared(db, `SELECT COUNT(*) AS n ${from}`).get() as { n: number };
  return { rows: rows.map(resultItemOf), total: n };
}

export function getResultItem(db: Db, id: number): ResultItem | undefined {
  const row = prepared(db, `SELECT ${resultItemColumns} ${resultItemJoins} WHERE r.id = ?`).get(id) as
    | ResultItemRow
    | undefined;
  return row && resultItemOf(row);
}

/** The files behind a result: what is (or will be) sent, and what arrived. */
export function resultFiles(
  db: Db,
  id: number,
): { kind: ResultKind; title: string; filePath: string | null; signed: boolean; originalFile: string | null } | undefined {
  const row = prepared(
    db,
    `SELECT r.kind, r.title, r.file_path AS filePath, r.signed, i.original_file AS originalFile
     FROM results r LEFT JOIN result_intake i ON i.result_id = r.id WHERE r.id = ?`,
  ).get(id) as { kind: ResultKind; title: string; filePath: string | null; signed: number; originalFile: string | null } | undefined;
  return row && { ...row, signed: row.signed === 1 };
}

/** What a source delivered for one intake item (before any patient or result exists). */
export function intakeFile(db: Db, intakeId: number): { kind: ResultKind; title: string; originalFile: string | null } | undefined {
  return prepared(
    db,
    'SELECT kind, title, original_file AS originalFile FROM result_intake WHERE id = ?',
  ).get(intakeId) as { kind: ResultKind; title: string; originalFile: string | null } | undefined;
}
