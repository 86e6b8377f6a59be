import type { AppointmentIntakeOutcome } from '../../intake/appointments-intake';
import { errorCodes, type Hl7ErrorCode } from './header';
import type { Hl7Decision } from './listener';

// What the sender reads back about an SIU intake took or refused: AE with the reason the receptionist would read, the
// HL7 error code that names the kind of problem, and warnings of an accepted message in the AA itself.

const codeOf: Record<string, Hl7ErrorCode> = {
  unknown_site: errorCodes.tableValueNotFound,
  no_site: errorCodes.tableValueNotFound,
  skipped_time: errorCodes.dataType,
  invalid_time: errorCodes.dataType,
};

export function hl7AppointmentDecision(outcome: AppointmentIntakeOutcome): Hl7Decision {
  if (!outcome.ok) return { accept: false, ack: 'AE', code: codeOf[outcome.code] ?? errorCodes.internalError, ...outcome.reason };
  if (outcome.warnings.length === 0) return { accept: true };
  return {
    accept: true,
    warning: {
      es: outcome.warnings.map((w) => w.es).join(' '),
      en: outcome.warnings.map((w) => w.en).join(' '),
    },
  };
}
