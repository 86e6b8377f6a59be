import type { ConsentStatus, Language, ResultKind, ResultStatus } from '../../../shared/domain';
import { prepared, type Db } from './db';

// The results intake's rows (result_intake) and the result columns it owns: review state, approval, signed document.

export interface IntakeRow {
  id: number;
  source: string;
  sourceKey: string;
  kind: ResultKind;
  title: string;
  /** JSON of the source's record without the document. */
  record: string;
  originalName: string | null;
  originalFile: string | null;
  originalSha256: string | null;
  sourceFile: string | null;
  patientId: number | null;
  resultId: number | null;
  reviewCode: string | null;
  reviewReason: string | null;
  dismissedAt: number | null;
  receivedAt: number;
  updatedAt: number;
  /** The result's status, when a result exists. */
  resultStatus: ResultStatus | null;
  /** The result's patient (matched or assigned); patientId above is only a person's assignment. */
  resultPatientId: number | null;
  manualApprovedAt: number | null;
}

const intakeColumns = `i.id, i.source, i.source_key AS sourceKey, i.kind, i.title, i.record, i.original_name AS originalName,
  i.original_file AS originalFile, i.original_sha256 AS originalSha256, i.source_file AS sourceFile,
  i.patient_id AS patientId, i.result_id AS resultId, i.review_code AS reviewCode, i.review_reason AS reviewReason,
  i.dismissed_at AS dismissedAt, i.received_at AS receivedAt, i.updated_at AS updatedAt, r.status AS resultStatus,
  r.patient_id AS resultPatientId, r.manual_approved_at AS manualApprovedAt`;
const intakeFrom = 'FROM result_intake i LEFT JOIN results r ON r.id = i.result_id';

/** What a source delivers for one item: the row's first columns. */
export type NewIntake = Pick<IntakeRow, 'source' | 'sourceKey' | 'kind' | 'title' | 'record' | 'originalName'>;
/** What a source may correct about an item it delivered before under the same key. */
export type IntakeRecordFields = Omit<NewIntake, 'source' | 'sourceKey'>;

/** Idempotent by source key: returns the one row for that key and whether this call created it. */
export function insertIntake(db: Db, row: NewIntake, at: number): { id: number; created: boolean } {
  const info = prepared(
    db,
    `INSERT INTO result_intake (source, source_key, kind, title, record, original_name, received_at, updated_at)
     VALUES (@source, @sourceKey, @kind, @title, @record, @originalName, @at, @at)
     ON CONFLICT(source_key) DO NOTHING`,
  ).run({ ...row, at });
  const { id } = prepared(db, 'SELECT id FROM result_intake WHERE source_key = ?').get(row.sourceKey) as { id: number };
  return { id, created: info.changes === 1 };
}

export function getIntake(db: Db, id: number): IntakeRow | undefined {
  return prepared(db, `SELECT ${intakeColumns} ${intakeFrom} WHERE i.id = ?`).get(id) as IntakeRow | undefined;
}

/** A source delivered the same key again with other metadata (a renamed file, a corrected row) while in review. */
export function updateIntakeRecord(
  db: Db,
  id: number,
  fields: IntakeRecordFields,
  at: number,
): void {
  prepared(
    db,
    `UPDATE result_intake SET kind = @kind, title = @title, record = @record,
      original_name = COALESCE(@originalName, original_name), updated_at = @at WHERE id = @id`,
  ).run({ ...fields, id, at });
}

export function setIntakeOriginal(db: Db, id: number, file: string, sha256: string, at: number): void {
  prepared(db, 'UPDATE result_intake SET original_file = ?, original_sha256 = ?, updated_at = ? WHERE id = ?').run(
    file,
    sha256,
    at,
    id,
  );
}

export function setIntakeSourceFile(db: Db, id: number, path: string, at: number): void {
  prepared(db, 'UPDATE result_intake SET source_file = ?, updated_at = ? WHERE id = ?').run(path, at, id);
}

/** A person's assignment of the patient, which wins over what the source said. */
export function setIntakePatient(db: Db, id: number, patientId: number | null, at: number): void {
  prepared(db, 'UPDATE result_intake SET patient_id = ?, updated_at = ? WHERE id = ?').run(patientId, at, id);
}

/** Puts the item in "por revisar"; its result, when there is one, waits as pending_review with the same reason. */
export function markForReview(db: Db, id: number, code: string, reason: string, at: number): void {
  db.transaction(() => {
    prepared(
      db,
      `UPDATE result_intake SET review_code = ?, review_reason = ?, dismissed_at = NULL, dismissed_by = NULL,
        updated_at = ? WHERE id = ?`,
    ).run(code, reason, at, id);
    prepared(
      db,
      `UPDATE results SET status = 'pending_review', review_reason = ?, updated_at = ?
       WHERE id = (SELECT result_id FROM result_intake WHERE id = ?) AND status NOT IN ('queued', 'sent')`,
    ).run(reason, at, id);
  })();
}

export function clearReview(db: Db, id: number, at: number): void {
  db.transaction(() => {
    prepared(db, 'UPDATE result_intake SET review_code = NULL, review_reason = NULL, updated_at = ? WHERE id = ?').run(
      at,
      id,
    );
    prepared(
      db,
      `UPDATE results SET review_reason = NULL, updated_at = ? WHERE id = (SELECT result_id FROM result_intake WHERE id = ?)`,
    ).run(at, id);
  })();
}

/** Takes an item out of the queue without sending it (a wrong file, a duplicate under another name). */
export function dismissIntake(db: Db, id: number, actor: string, at: number, personId: number | null = null): void {
  db.transaction(() => {
    prepared(
      db,
      `UPDATE result_intake SET review_code = NULL, dismissed_at = ?, dismissed_by = ?, dismissed_person_id = ?, updated_at = ?
       WHERE id = ?`,
    ).run(at, actor, personId, at, id);
    // Its result, if one was made, is no longer waiting for review either (a sent one stays sent).
    prepared(
      db,
      `UPDATE results SET status = 'dismissed', updated_at = ?
       WHERE id = (SELECT result_id FROM result_intake WHERE id = ?) AND status IN ('pending_review', 'approved')`,
    ).run(at, id);
  })();
}

export interface ReviewRow extends IntakeRow {
  patientName: string | null;
  patientPhone: string | null;
}

export function listReviewRows(db: Db, q: { limit: number; offset: number }): { rows: ReviewRow[]; total: number } {
  const rows = prepared(
    db,
    `SELECT ${intakeColumns}, CASE WHEN p.id IS NULL THEN NULL ELSE p.first_names || ' ' || p.last_names END AS patientName,
       COALESCE(p.phone_e164, p.phone_raw) AS patientPhone
     ${intakeFrom} LEFT JOIN patients p ON p.id = COALESCE(r.patient_id, i.patient_id)
     WHERE i.review_code IS NOT NULL ORDER BY i.received_at DESC, i.id DESC LIMIT ? OFFSET ?`,
  ).all(q.limit, q.offset) as ReviewRow[];
  const { n } = prepared(db, 'SELECT COUNT(*) AS n FROM result_intake WHERE review_code IS NOT NULL').get() as {
    n: number;
  };
  return { rows, total: n };
}

export function findPatientIdByMrn(db: Db, mrn: string): number | undefined {
  const row = prepared(db, 'SELECT id FROM patients WHERE medical_record_number = ? ORDER BY id LIMIT 1').get(mrn) as
    | { id: number }
    | undefined;
  return row?.id;
}

export function setPatientMrn(db: Db, patientId: number, mrn: string, at: number): void {
  prepared(
    db,
    'UPDATE patients SET medical_record_number = ?, updated_at = ? WHERE id = ? AND medical_record_number IS NULL',
  ).run(mrn, at, patientId);
}

export interface IntakeResultFields {
  kind: ResultKind;
  patientId: number;
  siteId: number | null;
  source: string;
  sourceKey: string;
  title: string;
  accessionNumber: string | null;
  studyUid: string | null;
  approvedAt: number | null;
  approvedBy: string | null;
}

/**
 * The result of an intake item, created once its patient is known, or brought up to date while it has not gone out
 * (a person may have fixed the patient or the source sent corrected metadata). Returns the result's id.
 */
export function upsertIntakeResult(db: Db, intakeId: number, f: IntakeResultFields, at: number): number {
  return db.transaction(() => {
    prepared(
      db,
      `INSERT INTO results (kind, patient_id, site_id, source, source_key, title, accession_number, study_uid,
        approved_at, approved_by, status, created_at, updated_at)
       VALUES (@kind, @patientId, @siteId, @source, @sourceKey, @title, @accessionNumber, @studyUid, @approvedAt,
        @approvedBy, 'pending_review', @at, @at)
       ON CONFLICT(source_key) DO UPDATE SET kind = excluded.kind, patient_id = excluded.patient_id,
        site_id = excluded.site_id, title = excluded.title, accession_number = excluded.accession_number,
        study_uid = COALESCE(excluded.study_uid, results.study_uid), approved_at = excluded.approved_at,
        approved_by = excluded.approved_by, updated_at = excluded.updated_at
       WHERE results.status NOT IN ('queued', 'sent')`,
    ).run({ ...f, at });
    const { id } = prepared(db, 'SELECT id FROM results WHERE source_key = ?').get(f.sourceKey) as { id: number };
    prepared(db, 'UPDATE result_intake SET result_id = ?, updated_at = ? WHERE id = ?').run(id, at, intakeId);
    return id;
  })();
}

export function setManualApproval(db: Db, resultId: number, by: string, at: number, personId: number | null = null): void {
  prepared(
    db,
    `UPDATE results SET manual_approved_at = ?, manual_approved_by = ?, manual_approved_person_id = ?,
      approved_at = COALESCE(approved_at, ?), approved_by = COALESCE(approved_by, ?), updated_at = ? WHERE id = ?`,
  ).run(at, by, personId, at, by, at, resultId);
}

/** Moves a result that has not gone out yet; returns false when it already had (queued or sent stay as they are). */
export function setPendingResultStatus(db: Db, resultId: number, status: ResultStatus, at: number): boolean {
  const info = prepared(
    db,
    `UPDATE results SET status = ?, updated_at = ? WHERE id = ? AND status NOT IN ('queued', 'sent')`,
  ).run(status, at, resultId);
  return info.changes === 1;
}

/** Everything the document pipeline needs about one result. */
export interface PipelineRow {
  id: number;
  kind: ResultKind;
  title: string;
  status: ResultStatus;
  sourceKey: string;
  siteId: number | null;
  serviceId: number | null;
  accessionNumber: string | null;
  studyUid: string | null;
  approvedAt: number | null;
  patientId: number;
  firstNames: string;
  phoneE164: string | null;
  consent: ConsentStatus;
  language: Language;
  originalFile: string | null;
}

export function pipelineRow(db: Db, resultId: number): PipelineRow | undefined {
  return prepared(
    db,
    `SELECT r.id, r.kind, r.title, r.status, r.source_key AS sourceKey, r.site_id AS siteId, r.service_id AS serviceId,
       r.accession_number AS accessionNumber, r.study_uid AS studyUid, r.approved_at AS approvedAt,
       r.patient_id AS patientId, p.first_names AS firstNames, p.phone_e164 AS phoneE164, p.consent_status AS consent,
       p.language, i.original_file AS originalFile
     FROM results r JOIN patients p ON p.id = r.patient_id LEFT JOIN result_intake i ON i.result_id = r.id
     WHERE r.id = ?`,
  ).get(resultId) as PipelineRow | undefined;
}

export interface StoredDocument {
  filePath: string;
  sha256: string;
  signed: boolean;
  signedAt: number | null;
  level: string | null;
  verificationCode: string | null;
}

export function setResultDocument(db: Db, resultId: number, d: StoredDocument, at: number): void {
  prepared(
    db,
    `UPDATE results SET file_path = @filePath, sha256 = @sha256, signed = @signed, signed_at = @signedAt,
      signature_level = @level, verification_code = @verificationCode, updated_at = @at WHERE id = @id`,
  ).run({ ...d, signed: d.signed ? 1 : 0, at, id: resultId });
}

/** Signed, but not as the clinic asked (e.g. without a timestamp): the reason shown on the result. */
export function setResultSignatureWarning(db: Db, resultId: number, warning: string | null, at: number): void {
  prepared(db, 'UPDATE results SET signature_warning = ?, updated_at = ? WHERE id = ?').run(warning, at, resultId);
}

export function setResultStudyUid(db: Db, resultId: number, studyUid: string, at: number): void {
  prepared(db, 'UPDATE results SET study_uid = ?, updated_at = ? WHERE id = ?').run(studyUid, at, resultId);
}

/** Intake items whose result was approved but never reached the outbox: a crash while signing. */
export function stalledIntakeIds(db: Db): number[] {
  return (
    prepared(
      db,
      `SELECT i.id FROM result_intake i JOIN results r ON r.id = i.result_id
       WHERE r.status = 'approved' AND i.review_code IS NULL ORDER BY i.id`,
    ).all() as { id: number }[]
  ).map((r) => r.id);
}

/** The result of a message that reached the provider is `sent`; returns whether a result moved. */
export function markResultOfMessageSent(db: Db, messageId: number, at: number): boolean {
  const info = prepared(
    db,
    `UPDATE results SET status = 'sent', updated_at = ?
     WHERE id = (SELECT result_id FROM messages WHERE id = ?) AND status = 'queued'`,
  ).run(at, messageId);
  return info.changes === 1;
}
