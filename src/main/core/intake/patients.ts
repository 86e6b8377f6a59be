import type { NewPatientInput } from '../../../shared/api';
import type { Language, Patient } from '../../../shared/domain';
import { actingAs, GENERIC_PERSON } from '../audit/acting';
import { text } from '../i18n';
import type { Db } from '../store/db';
import { getSite } from '../store/clinic-repo';
import { findPatientByDocument, getPatient, insertPatient, updatePatientRow, type PatientRecord } from '../store/patients-repo';
import type { PatientUpdate } from '../../../shared/api';
import { normalisePhone } from './phone';

export class DuplicatePatientError extends Error {}

/**
 * Registers a patient. A phone that cannot be used is kept as typed with the reason beside it, so the receptionist
 * sees what to fix; the patient is never refused for it.
 */
export function registerPatient(
  db: Db,
  input: NewPatientInput & { consentSource?: 'reception_form' | 'import' | 'demo' },
  ctx: { at: number; language: Language; defaultCountry: string },
): Patient {
  const documentNumber = input.documentNumber.trim();
  if (findPatientByDocument(db, input.documentType, documentNumber)) {
    throw new DuplicatePatientError(text(ctx.language, 'error.duplicate_patient'));
  }
  const site = input.siteId ? getSite(db, input.siteId) : undefined;
  const phoneRaw = input.phone?.trim() || null;
  const phone = phoneRaw ? normalisePhone(phoneRaw, site?.country ?? ctx.defaultCountry) : null;
  const consentSource = input.consent ? (input.consentSource ?? 'reception_form') : null;
  // Consent ticked on the front-desk form is that person's word; an import or the demo says so itself.
  const by = consentSource === 'reception_form' ? actingAs(GENERIC_PERSON) : null;
  return insertPatient(
    db,
    {
      firstNames: input.firstNames.trim(),
      lastNames: input.lastNames.trim(),
      documentType: input.documentType,
      documentNumber,
      birthDate: input.birthDate ?? null,
      phoneRaw,
      phoneE164: phone?.ok ? phone.e164 : null,
      phoneError: phone && !phone.ok ? text(ctx.language, `phone.${phone.code}`) : null,
      email: input.email?.trim() || null,
      language: 'es',
      consent: input.consent ? 'opted_in' : 'unknown',
      consentSource,
      consentAt: input.consent ? ctx.at : null,
      siteId: site?.id ?? null,
    },
    ctx.at,
    by?.actor ?? null,
    by?.personId ?? null,
  );
}

/** Fixes a patient's details: a changed phone is normalised again (its problem, if any, replaces the old one). */
export function updatePatient(
  db: Db,
  input: PatientUpdate,
  ctx: { at: number; language: Language; defaultCountry: string },
): Patient | undefined {
  const current = getPatient(db, input.id);
  if (!current) return undefined;
  const fields: Partial<PatientRecord> = {};
  if (input.firstNames !== undefined) fields.firstNames = input.firstNames.trim();
  if (input.lastNames !== undefined) fields.lastNames = input.lastNames.trim();
  if (input.birthDate !== undefined) fields.birthDate = input.birthDate;
  if (input.email !== undefined) fields.email = input.email?.trim() || null;
  if (input.siteId !== undefined) fields.siteId = input.siteId;
  if (input.phone !== undefined) {
    const raw = input.phone?.trim() || null;
    const site = getSite(db, input.siteId ?? current.siteId ?? 0);
    const phone = raw ? normalisePhone(raw, site?.country ?? ctx.defaultCountry) : null;
    fields.phoneRaw = raw;
    fields.phoneE164 = phone?.ok ? phone.e164 : null;
    fields.phoneError = phone && !phone.ok ? text(ctx.language, `phone.${phone.code}`) : null;
  }
  if (input.consent !== undefined && (input.consent ? 'opted_in' : 'opted_out') !== current.consent) {
    fields.consent = input.consent ? 'opted_in' : 'opted_out';
    fields.consentSource = 'reception_form';
    fields.consentAt = ctx.at;
  }
  updatePatientRow(db, input.id, fields, ctx.at, actingAs(GENERIC_PERSON));
  return getPatient(db, input.id);
}
