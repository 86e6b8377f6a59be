import type { SourcePatient } from '../sources/clinic-db/records';
import type { IncomingPatient } from './incoming-result';

/**
 * The patient of a clinic-database or HL7 record as intake matches it: only the fields the source filled in, so an
 * empty column counts as not given rather than as a value.
 */
export function incomingPatientOf(p: SourcePatient): IncomingPatient {
  return {
    ...(p.documentType ? { documentType: p.documentType } : {}),
    ...(p.documentNumber ? { documentNumber: p.documentNumber } : {}),
    ...(p.medicalRecordNumber ? { medicalRecordNumber: p.medicalRecordNumber } : {}),
    ...(p.firstNames ? { firstNames: p.firstNames } : {}),
    ...(p.lastNames ? { lastNames: p.lastNames } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
  };
}
