import type { DocumentType, Epoch } from '../../../../shared/domain';

// The normalised records every source yields (clinic database, HL7). Plain data: intake matches the patient, decides
// approval and upserts by `sourceKey`, so the same source record read twice lands once (DESIGN invariant 1).

export type SourceName = 'clinic-db' | 'hl7';

export interface SourcePatient {
  /** Null when the source gave no type or one Avisa does not know; `documentTypeRaw` keeps what it said. */
  documentType: DocumentType | null;
  documentTypeRaw: string | null;
  documentNumber: string | null;
  medicalRecordNumber: string | null;
  firstNames: string | null;
  lastNames: string | null;
  /** As the source wrote it: intake normalises it in the site's country and keeps the reason when it cannot. */
  phone: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
}

export type SourceFile =
  /** Read only when it resolves under one of `roots` (the folders the administrator configured for the source). */
  | { kind: 'path'; path: string; roots: string[] }
  | { kind: 'bytes'; bytes: Buffer; mediaType: 'application/pdf' };

export interface SourceResult {
  kind: 'result';
  source: SourceName;
  /** Stable across re-reads and re-sends of the same result; the intake's idempotency key is `result:<sourceKey>`. */
  sourceKey: string;
  resultId: string;
  patient: SourcePatient;
  approvedAt: Epoch;
  approvedBy: string | null;
  accessionNumber: string | null;
  title: string | null;
  site: string | null;
  service: string | null;
  /** HL7 OBR-25 = C: the clinic corrected a result already reported. Always false from the clinic database. */
  corrected: boolean;
  file: SourceFile;
}

export type SourceAppointmentStatus = 'booked' | 'rescheduled' | 'cancelled' | 'attended' | 'no_show';

export interface SourceAppointment {
  kind: 'appointment';
  source: SourceName;
  /** Stable for the appointment: a reschedule or cancellation arrives with the same key and updates it. */
  sourceKey: string;
  appointmentId: string;
  patient: SourcePatient;
  site: string | null;
  /** Every location the source named (HL7: AIL-3 and PV1-3 parts), tried in order against the site codes and names. */
  siteCodes?: string[];
  service: string | null;
  professional: string | null;
  startsAt: Epoch;
  /** The zone a local (offset-less) start time was read in; null when the source gave the offset itself. */
  timeZone: string | null;
  /**
   * The start as the source wrote it when it gave no offset ("2027-04-03T23:30:00.000"). Intake reads it again in the
   * zone of the site the appointment belongs to (`startsAt` was only read in `timeZone`). Absent or null: `startsAt`
   * is final.
   */
  localStart?: string | null;
  durationMinutes: number | null;
  status: SourceAppointmentStatus;
}

export type SourceRecord = SourceResult | SourceAppointment;

/**
 * A row or message that could not become a record, with the reason in both languages. The caller shows it: nothing a
 * source read is dropped silently (DESIGN invariant 9).
 */
export interface SourceProblem {
  /** The record's id when it had one (result or appointment id, HL7 control id), else a row number. */
  ref: string;
  code: string;
  es: string;
  en: string;
  /** What exactly the row held, for IT (column names, the raw value): shown apart from the reason. */
  detail?: string;
}

/**
 * Document types as clinics write them: Avisa's own names, SUNAT catalogue 06 codes (1 DNI, 4 CE, 7 pasaporte) and
 * HL7 table 0203 identifier types (NN + ISO country: national id, e.g. NNPER; PPN passport; PRC permanent resident
 * card). Avisa's DNI stands for the country's national identity document, whichever country.
 */
export function documentTypeFrom(raw: string | null | undefined): DocumentType | null {
  const value = (raw ?? '').trim().toUpperCase().replace(/[.\s_-]+/g, '');
  if (!value) return null;
  if (['DNI', '1', '01', 'NN', 'NI', 'LE'].includes(value) || /^NN[A-Z]{3}$/.test(value)) return 'DNI';
  if (['CE', '4', '04', 'CARNETEXTRANJERIA', 'CARNETDEEXTRANJERIA', 'PRC'].includes(value)) return 'CE';
  if (['PASAPORTE', 'PAS', 'PASS', 'PASSPORT', 'PP', 'PPN', '7', '07'].includes(value)) return 'PASAPORTE';
  return null;
}

export function problem(ref: string, code: string, es: string, en: string, detail?: string): SourceProblem {
  return detail === undefined ? { ref, code, es, en } : { ref, code, es, en, detail };
}
