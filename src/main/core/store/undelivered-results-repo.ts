import type { ConsentStatus, ResultKind } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface UndeliveredRow {
  resultId: number;
  kind: ResultKind;
  title: string;
  patientId: number;
  patientName: string;
  phoneE164: string | null;
  phoneRaw: string | null;
  phoneError: string | null;
  consent: ConsentStatus;
  messageId: number;
  messageState: 'failed' | 'expired';
  errorCode: string | null;
  errorReason: string | null;
  failedAt: number | null;
}

// A result whose latest message failed or expired and that nobody dismissed: it has not reached the patient and
// nothing will send it again by itself.
const from = `FROM results r JOIN patients p ON p.id = r.patient_id
  JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE result_id = r.id)
  WHERE m.state IN ('failed', 'expired') AND r.status <> 'dismissed'`;

export function listUndeliveredResults(db: Db, q: { limit: number; offset: number }): { rows: UndeliveredRow[]; total: number } {
  const rows = prepared(
    db,
    `SELECT r.id AS resultId, r.kind, r.title, p.id AS patientId, p.first_names || ' ' || p.last_names AS patientName,
       p.phone_e164 AS phoneE164, p.phone_raw AS phoneRaw, p.phone_error AS phoneError, p.consent_status AS consent,
       m.id AS messageId, m.state AS messageState, m.last_error_code AS errorCode, m.last_error_reason AS errorReason,
       COALESCE(m.failed_at, m.updated_at) AS failedAt
     ${from} ORDER BY m.id DESC LIMIT ? OFFSET ?`,
  ).all(q.limit, q.offset) as UndeliveredRow[];
  const { n } = prepared(db, `SELECT COUNT(*) AS n ${from}`).get() as { n: number };
  return { rows, total: n };
}
