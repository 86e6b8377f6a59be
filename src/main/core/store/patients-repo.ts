import type { DocumentType, Patient } from '../../../shared/domain';
import { patientMatches, patientSearchColumns, searchParams, searchTerms, type SearchTerms } from './search-text';
import { prepared, type Db } from './db';

/** A patient as stored, before it has an id. */
export type PatientRecord = Omit<Patient, 'id'>;

const columns = `id, first_names AS firstNames, last_names AS lastNames, document_type AS documentType,
  document_number AS documentNumber, birth_date AS birthDate, phone_raw AS phoneRaw, phone_e164 AS phoneE164,
  phone_error AS phoneError, email, language, consent_status AS consent, consent_source AS consentSource,
  consent_at AS consentAt, site_id AS siteId`;

/** A consent given at registration is the first entry of the patient's history, under the actor given here. */
export function insertPatient(
  db: Db,
  p: PatientRecord,
  at: number,
  consentActor: string | null = null,
  consentPersonId: number | null = null,
): Patient {
  const actor = p.consent === 'unknown' ? null : (consentActor ?? actorOf(p.consentSource));
  const personId = p.consent === 'unknown' ? null : consentPersonId;
  const info = prepared(db, 
      `INSERT INTO patients (first_names, last_names, document_type, document_number, birth_date, phone_raw,
        phone_e164, phone_error, email, language, consent_status, consent_source, consent_at, consent_actor, consent_person_id,
        site_id, created_at, updated_at, name_folded, document_folded, document_digits, phone_digits)
       VALUES (@firstNames, @lastNames, @documentType, @documentNumber, @birthDate, @phoneRaw, @phoneE164,
        @phoneError, @email, @language, @consent, @consentSource, @consentAt, @actor, @personId, @siteId, @at, @at,
        @nameFolded, @documentFolded, @documentDigits, @phoneDigits)`,
    )
    .run({ ...p, actor, personId, at, ...patientSearchColumns(p) });
  return { id: Number(info.lastInsertRowid), ...p };
}

/**
 * Writes the given fields of a patient; fields left out keep their value. A consent change carries who made it (for
 * the consent history); unsaid, it is the front desk's.
 */
export function updatePatientRow(
  db: Db,
  id: number,
  fields: Partial<PatientRecord>,
  at: number,
  provenance: { actor: string; personId?: number | null; note?: string | null } = { actor: 'usuario' },
): void {
  const columnOf: Record<string, string> = {
    firstNames: 'first_names',
    lastNames: 'last_names',
    birthDate: 'birth_date',
    phoneRaw: 'phone_raw',
    phoneE164: 'phone_e164',
    phoneError: 'phone_error',
    email: 'email',
    siteId: 'site_id',
    consent: 'consent_status',
    consentSource: 'consent_source',
    consentAt: 'consent_at',
  };
  const keys = Object.keys(fields).filter((k) => k in columnOf);
  if (!keys.length) return;
  let sets = keys.map((k) => `${columnOf[k]} = @${k}`).join(', ');
  // Written with the consent, so the history's trigger never copies the previous change's actor.
  if (keys.includes('consent')) {
    sets += ', consent_actor = @consentActor, consent_person_id = @consentPersonId, consent_reply_id = NULL, consent_note = @consentNote';
  }
  prepared(db, `UPDATE patients SET ${sets}, updated_at = @at WHERE id = @id`).run({
    ...fields,
    id,
    at,
    ...(keys.includes('consent')
      ? { consentActor: provenance.actor, consentPersonId: provenance.personId ?? null, consentNote: provenance.note ?? null }
      : {}),
  });
  if (keys.some((k) => searchedFields.includes(k))) refreshSearchColumns(db, id);
}

const searchedFields: readonly string[] = ['firstNames', 'lastNames', 'documentNumber', 'phoneRaw', 'phoneE164'];

/** Rewrites a patient's searchable forms from the stored fields (after some of them changed). */
function refreshSearchColumns(db: Db, id: number): void {
  const p = prepared(
    db,
    `SELECT first_names AS firstNames, last_names AS lastNames, document_number AS documentNumber,
      phone_e164 AS phoneE164, phone_raw AS phoneRaw FROM patients WHERE id = ?`,
  ).get(id) as Parameters<typeof patientSearchColumns>[0] | undefined;
  if (!p) return;
  prepared(
    db,
    `UPDATE patients SET name_folded = @nameFolded, document_folded = @documentFolded, document_digits = @documentDigits,
      phone_digits = @phoneDigits WHERE id = @id`,
  ).run({ ...patientSearchColumns(p), id });
}

function actorOf(source: PatientRecord['consentSource']): string {
  if (source === 'import') return 'import';
  if (source === 'patient_message') return 'patient';
  if (source === 'demo') return 'system';
  return 'usuario';
}

export function getPatient(db: Db, id: number): Patient | undefined {
  return prepared(db, `SELECT ${columns} FROM patients WHERE id = ?`).get(id) as Patient | undefined;
}

export function findPatientByDocument(db: Db, type: DocumentType, number: string): Patient | undefined {
  return prepared(db, `SELECT ${columns} FROM patients WHERE document_type = ? AND document_number = ?`)
    .get(type, number) as Patient | undefined;
}

/** The ids of the patients a search box's text matches (name, document or phone, as listPatients finds them). */
export function patientIdsMatching(db: Db, terms: SearchTerms): number[] {
  return (prepared(db, `SELECT id FROM patients WHERE ${patientMatches(terms)}`).raw(true).all(searchParams(terms)) as [
    number,
  ][]).map((r) => r[0]);
}

export function listPatients(
  db: Db,
  q: { search?: string; limit: number; offset: number },
): { rows: Patient[]; total: number } {
  const terms = q.search ? searchTerms(q.search) : null;
  const where = terms ? `WHERE ${patientMatches(terms)}` : '';
  const params = { ...(terms ? searchParams(terms) : {}), limit: q.limit, offset: q.offset };
  // Sorted as a person reads a list: Cárdenas before Chávez, whatever the accents and case.
  const rows = prepared(
    db,
    `SELECT ${columns} FROM patients ${where}
     ORDER BY avisa_fold(last_names), avisa_fold(first_names), id LIMIT @limit OFFSET @offset`,
  ).all(params) as Patient[];
  const { n } = prepared(db, `SELECT COUNT(*) AS n FROM patients ${where}`).get(params) as { n: number };
  return { rows, total: n };
}
