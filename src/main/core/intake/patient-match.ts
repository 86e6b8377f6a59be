import { actingAs, GENERIC_PERSON } from '../audit/acting';
import type { DocumentType, Language, Patient } from '../../../shared/domain';
import type { Reason } from '../documents/texts';
import { findPatientByDocument, getPatient, updatePatientRow, type PatientRecord } from '../store/patients-repo';
import { findPatientIdByMrn, setPatientMrn } from '../store/results-intake-repo';
import type { Db } from '../store/db';
import type { IncomingPatient } from './incoming-result';
import { registerPatient, updatePatient } from './patients';
import { describeIdentity, reviewReasons } from '../documents/results-texts';

export type PatientMatch =
  | { ok: true; patient: Patient; created: boolean; changed: boolean }
  | { ok: false; code: 'unknown_patient' | 'incomplete_patient'; reason: Reason };

export interface MatchContext {
  /** A patient a person assigned to this item: wins over anything the source said. */
  assignedPatientId: number | null;
  defaultDocumentType: DocumentType;
  at: number;
  language: Language;
  defaultCountry: string;
  /** 'import' when the source says the patient opted in; 'reception_form' when a person recorded it while fixing. */
  consentSource: 'import' | 'reception_form';
}

/** Document numbers arrive with stray spaces, dots or dashes ("12.345.678"); the register keeps them bare. */
export function normaliseDocumentNumber(raw: string): string {
  return raw.trim().replace(/[\s.-]/g, '').toUpperCase();
}

/**
 * Finds the patient of a record: by assignment, by document (type and number), then by medical record number. A record
 * that carries names and a document creates the patient; its consent is taken only when the source says so.
 */
export function matchPatient(db: Db, incoming: IncomingPatient, ctx: MatchContext): PatientMatch {
  const type = incoming.documentType ?? ctx.defaultDocumentType;
  const number = incoming.documentNumber ? normaliseDocumentNumber(incoming.documentNumber) : '';
  const mrn = incoming.medicalRecordNumber?.trim() ?? '';

  const found =
    (ctx.assignedPatientId !== null ? getPatient(db, ctx.assignedPatientId) : undefined) ??
    (number ? findPatientByDocument(db, type, number) : undefined) ??
    (mrn ? byMrn(db, mrn) : undefined);
  if (found) {
    const changed = fillGaps(db, found, incoming, ctx);
    if (mrn) setPatientMrn(db, found.id, mrn, ctx.at);
    return { ok: true, patient: changed ? (getPatient(db, found.id) ?? found) : found, created: false, changed };
  }

  const firstNames = incoming.firstNames?.trim() ?? '';
  const lastNames = incoming.lastNames?.trim() ?? '';
  if (firstNames && lastNames && number) {
    const patient = registerPatient(
      db,
      {
        firstNames,
        lastNames,
        documentType: type,
        documentNumber: number,
        phone: incoming.phone ?? null,
        consent: incoming.consent === true,
        consentSource: ctx.consentSource,
      },
      { at: ctx.at, language: ctx.language, defaultCountry: ctx.defaultCountry },
    );
    if (mrn) setPatientMrn(db, patient.id, mrn, ctx.at);
    return { ok: true, patient, created: true, changed: true };
  }
  if (firstNames || lastNames) return { ok: false, code: 'incomplete_patient', reason: reviewReasons.incomplete_patient() };
  const who = describeIdentity({ documentType: type, documentNumber: number, medicalRecordNumber: mrn }, type);
  return {
    ok: false,
    code: 'unknown_patient',
    reason: who ? reviewReasons.unknown_patient(who) : reviewReasons.no_identity(),
  };
}

function byMrn(db: Db, mrn: string): Patient | undefined {
  const id = findPatientIdByMrn(db, mrn);
  return id === undefined ? undefined : getPatient(db, id);
}

/**
 * What the source knows and the register lacks: a phone where there is none usable, an opt-in where consent is unknown.
 * The register's own data always wins, and an opt-out is never overridden by an import.
 */
function fillGaps(db: Db, patient: Patient, incoming: IncomingPatient, ctx: MatchContext): boolean {
  let changed = false;
  if (!patient.phoneE164 && incoming.phone?.trim()) {
    updatePatient(
      db,
      { id: patient.id, phone: incoming.phone },
      { at: ctx.at, language: ctx.language, defaultCountry: ctx.defaultCountry },
    );
    changed = true;
  }
  if (patient.consent === 'unknown' && incoming.consent === true) {
    const fields: Partial<PatientRecord> = {
      consent: 'opted_in',
      consentSource: ctx.consentSource,
      consentAt: ctx.at,
    };
    updatePatientRow(db, patient.id, fields, ctx.at, ctx.consentSource === 'import' ? { actor: 'import' } : actingAs(GENERIC_PERSON));
    changed = true;
  }
  return changed;
}
