import type { SourceAppointment, SourceResult } from '../clinic-db/records';
import { errorCodes, isRefusal, readHeader, refusal, type Hl7Header, type Hl7Refusal } from './header';
import { resultsFromOru } from './oru';
import { parseHl7, type Hl7Message } from './parse';
import { appointmentFromSiu, isSiuEvent } from './siu';

/** A message Avisa understood and can use; the handler decides whether intake takes it. */
export type Hl7Inbound =
  | { kind: 'results'; header: Hl7Header; records: SourceResult[] }
  | { kind: 'appointment'; header: Hl7Header; record: SourceAppointment };

export type Interpretation =
  | { ok: true; message: Hl7Message; inbound: Hl7Inbound }
  /** `message` and `header` are absent when the payload was not HL7 at all (the ACK then echoes nothing). */
  | { ok: false; message?: Hl7Message; header?: Hl7Header; refusal: Hl7Refusal };

/**
 * Reads one HL7 message. AR when it cannot be processed at all (not HL7, bad MSH, a message type Avisa does not take);
 * AE when it is an ORU or SIU Avisa understands but cannot use (unknown event, no PDF, not final, no start time).
 */
export function interpretHl7(text: string, zone: string): Interpretation {
  const parsed = parseHl7(text);
  if (!parsed.ok) {
    return {
      ok: false,
      refusal: refusal('AR', errorCodes.segmentSequence, ['MSH'], `No es un mensaje HL7 v2: ${parsed.reason}.`, `Not an HL7 v2 message: ${parsed.reason}.`),
    };
  }
  const { message } = parsed;
  const header = readHeader(message, zone);
  if (isRefusal(header)) return { ok: false, message, refusal: header };
  const fail = (r: Hl7Refusal): Interpretation => ({ ok: false, message, header, refusal: r });

  if (header.messageType === 'ORU') {
    if (header.event !== 'R01') return fail(unsupportedEvent(header));
    const results = resultsFromOru(message, header, zone);
    return Array.isArray(results) ? { ok: true, message, inbound: { kind: 'results', header, records: results } } : fail(results);
  }
  if (header.messageType === 'SIU') {
    if (!isSiuEvent(header.event)) return fail(unsupportedEvent(header));
    const appointment = appointmentFromSiu(message, header, header.event, zone);
    return isRefusal(appointment)
      ? fail(appointment)
      : { ok: true, message, inbound: { kind: 'appointment', header, record: appointment } };
  }
  return fail(
    refusal(
      'AR',
      errorCodes.unsupportedMessageType,
      ['MSH', '1', '9'],
      `Tipo de mensaje no admitido: ${header.messageType}^${header.event} (Avisa recibe ORU^R01 y SIU).`,
      `Unsupported message type: ${header.messageType}^${header.event} (Avisa takes ORU^R01 and SIU).`,
    ),
  );
}

function unsupportedEvent(header: Hl7Header): Hl7Refusal {
  return refusal(
    'AE',
    errorCodes.unsupportedEvent,
    ['MSH', '1', '9'],
    `Evento no admitido: ${header.messageType}^${header.event}.`,
    `Unsupported event: ${header.messageType}^${header.event}.`,
  );
}
