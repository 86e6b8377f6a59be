import type { ConsentSource, ConsentStatus } from '../../../shared/domain';
import { prepared, type Db } from './db';

// A patient's consent with its provenance, its history (written by triggers on patients, see migration 5), and the
// clinic's policy on what still goes after an opt-out.

export interface ConsentChange {
  status: ConsentStatus;
  source: ConsentSource;
  /** Who made the change: 'patient' (by message), a person's name, 'import', 'system' ('usuario' before people). */
  actor: string;
  /** The person who made it, when it was one. */
  personId?: number | null;
  /** The reply that caused it, when the patient wrote. */
  replyId?: number | null;
  /** In the receptionist's words: the keyword or the form that caused it. */
  note?: string | null;
}

/** Sets a patient's consent and who/what caused it; the history row is written by the trigger. False if unchanged. */
export function setPatientConsent(db: Db, patientId: number, c: ConsentChange, at: number): boolean {
  return (
    prepared(
      db,
      `UPDATE patients SET consent_status = @status, consent_source = @source, consent_at = @at, consent_actor = @actor,
        consent_person_id = @personId, consent_reply_id = @replyId, consent_note = @note, updated_at = @at
       WHERE id = @patientId AND consent_status != @status`,
    ).run({
      patientId,
      status: c.status,
      source: c.source,
      actor: c.actor,
      personId: c.personId ?? null,
      replyId: c.replyId ?? null,
      note: c.note ?? null,
      at,
    })
      .changes === 1
  );
}

export interface ConsentHistoryEntry {
  id: number;
  patientId: number;
  status: ConsentStatus;
  source: ConsentSource | null;
  at: number;
  /** A person's name (with personId), or 'patient', 'import', 'system', and 'usuario' on changes from before people. */
  actor: string | null;
  personId: number | null;
  replyId: number | null;
  /** The patient's message that caused the change, as received. */
  replyBody: string | null;
  note: string | null;
}

/** Every change of a patient's consent, newest first. */
export function consentHistory(db: Db, patientId: number): ConsentHistoryEntry[] {
  return prepared(
    db,
    `SELECT h.id, h.patient_id AS patientId, h.status, h.source, h.at, h.actor, h.person_id AS personId, h.reply_id AS replyId, r.body AS replyBody,
      h.note
     FROM consent_history h LEFT JOIN replies r ON r.id = h.reply_id
     WHERE h.patient_id = ? ORDER BY h.id DESC`,
  ).all(patientId) as ConsentHistoryEntry[];
}

export interface ConsentPolicy {
  /** Lab results the patient is waiting for still go after "BAJA". */
  resultsAfterOptOut: boolean;
  /** Certificates, attestations and receipts the patient asked for still go. */
  documentsAfterOptOut: boolean;
  /** Reminders of appointments the patient booked still go. */
  remindersAfterOptOut: boolean;
}

export function getConsentPolicy(db: Db): ConsentPolicy {
  const row = prepared(
    db,
    `SELECT results_after_opt_out AS r, documents_after_opt_out AS d, reminders_after_opt_out AS m FROM consent_policy
     WHERE id = 1`,
  ).get() as { r: number; d: number; m: number } | undefined;
  return row
    ? { resultsAfterOptOut: row.r === 1, documentsAfterOptOut: row.d === 1, remindersAfterOptOut: row.m === 1 }
    : { resultsAfterOptOut: true, documentsAfterOptOut: true, remindersAfterOptOut: false };
}

export function setConsentPolicy(db: Db, p: ConsentPolicy, at: number): void {
  prepared(
    db,
    `UPDATE consent_policy SET results_after_opt_out = ?, documents_after_opt_out = ?, reminders_after_opt_out = ?,
      updated_at = ? WHERE id = 1`,
  ).run(Number(p.resultsAfterOptOut), Number(p.documentsAfterOptOut), Number(p.remindersAfterOptOut), at);
}

/** Whether a result of this kind still goes to a patient who opted out. */
export function goesAfterOptOut(policy: ConsentPolicy, kind: 'result' | 'certificate' | 'attestation' | 'receipt'): boolean {
  return kind === 'result' ? policy.resultsAfterOptOut : policy.documentsAfterOptOut;
}

