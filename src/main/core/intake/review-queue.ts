import type { ReviewItem as ApiReviewItem, ReviewFix } from '../../../shared/api';
import type { Db } from '../store/db';
import { listReviewRows } from '../store/results-intake-repo';
import type { ReviewCode } from './incoming-result';
import { readStoredRecord, type StoredRecord } from './stored-record';

// "Por revisar": what the receptionist sees of each waiting item, and how a correction rewrites the source's record.

/** A person's correction of a review item, before it is tried again (the API contract's type). */
export type { ReviewFix };

/** One line of "por revisar" (the API contract's type), its code one of intake's own. */
export interface ReviewItem extends Omit<ApiReviewItem, 'code'> {
  code: ReviewCode;
}

export function listReviewQueue(db: Db, q: { limit: number; offset: number }): { rows: ReviewItem[]; total: number } {
  const { rows, total } = listReviewRows(db, q);
  return {
    total,
    rows: rows.map((r) => {
      const record = readStoredRecord(r.record);
      return {
        id: r.id,
        resultId: r.resultId,
        resultStatus: r.resultStatus,
        kind: r.kind,
        title: r.title,
        source: r.source,
        originalName: r.originalName,
        sourceFile: r.sourceFile,
        documentFile: r.originalFile,
        // Only rows with a code are listed; the column is text, the codes are ours.
        code: (r.reviewCode ?? 'internal') as ReviewCode,
        reason: r.reviewReason ?? '',
        patientId: r.resultPatientId ?? r.patientId,
        patientName: r.patientName,
        patientPhone: r.patientPhone,
        incoming: { ...record.patient, accessionNumber: record.accessionNumber, studyUid: record.studyUid },
        receivedAt: r.receivedAt,
        updatedAt: r.updatedAt,
      };
    }),
  };
}

/**
 * The record as a person corrected it. Phone and consent go to the record only while the patient is unknown (a known
 * patient's register is corrected directly). The source's complaint about its metadata is answered by the correction;
 * one about the file itself (not a PDF, unreadable) is not.
 */
export function fixedRecord(record: StoredRecord, fix: ReviewFix, patientKnown: boolean): StoredRecord {
  const patient = { ...record.patient };
  for (const key of ['documentType', 'documentNumber', 'medicalRecordNumber', 'firstNames', 'lastNames'] as const) {
    if (fix[key] !== undefined) Object.assign(patient, { [key]: fix[key] });
  }
  if (!patientKnown) {
    if (fix.phone !== undefined) patient.phone = fix.phone;
    if (fix.consent !== undefined) patient.consent = fix.consent;
  }
  const keepProblem = record.problem?.code === 'not_pdf' || record.problem?.code === 'unreadable';
  return {
    ...record,
    patient,
    problem: keepProblem ? record.problem : null,
    consentByPerson: record.consentByPerson || fix.consent !== undefined,
  };
}
