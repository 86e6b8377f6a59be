import { parseDtm } from './fields';
import { firstSegment, get, rawField, type Hl7Message } from './parse';

export interface Hl7Header {
  messageType: string; // MSH-9.1, e.g. ORU
  event: string; // MSH-9.2, e.g. R01
  controlId: string; // MSH-10
  sendingApplication: string; // MSH-3.1
  sendingFacility: string; // MSH-4.1
  receivingApplication: string; // MSH-5.1
  receivingFacility: string; // MSH-6.1
  /** MSH-11: P production, T training, D debugging. A test message may reach a real patient: intake decides. */
  processingId: string;
  version: string; // MSH-12
  sentAt: number | null; // MSH-7
}

/** HL7 table 0357 codes used in ERR-3. */
export const errorCodes = {
  segmentSequence: '100',
  requiredFieldMissing: '101',
  dataType: '102',
  tableValueNotFound: '103',
  unsupportedMessageType: '200',
  unsupportedEvent: '201',
  internalError: '207',
} as const;

export type Hl7ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

/** Why a message was not accepted, for the ACK (MSA-3, ERR) and for the person who reads Avisa's log. */
export interface Hl7Refusal {
  ack: 'AE' | 'AR';
  code: Hl7ErrorCode;
  /** ERR-2 error location, e.g. ['OBX', '1', '5']: segment, sequence, field. */
  location: string[];
  es: string;
  en: string;
}

export function refusal(ack: 'AE' | 'AR', code: Hl7ErrorCode, location: string[], es: string, en: string): Hl7Refusal {
  return { ack, code, location, es, en };
}

export function readHeader(message: Hl7Message, zone: string): Hl7Header | Hl7Refusal {
  const msh = firstSegment(message, 'MSH');
  const header: Hl7Header = {
    messageType: get(message, msh, 9, 1).toUpperCase(),
    event: get(message, msh, 9, 2).toUpperCase(),
    controlId: get(message, msh, 10),
    sendingApplication: get(message, msh, 3, 1),
    sendingFacility: get(message, msh, 4, 1),
    receivingApplication: get(message, msh, 5, 1),
    receivingFacility: get(message, msh, 6, 1),
    processingId: get(message, msh, 11, 1),
    version: get(message, msh, 12, 1),
    sentAt: parseDtm(get(message, msh, 7, 1), zone)?.at ?? null,
  };
  if (!header.messageType) {
    return refusal('AR', errorCodes.requiredFieldMissing, ['MSH', '1', '9'], 'Falta el tipo de mensaje (MSH-9).', 'The message type (MSH-9) is missing.');
  }
  if (!rawField(msh, 10)) {
    return refusal('AR', errorCodes.requiredFieldMissing, ['MSH', '1', '10'], 'Falta el identificador de control (MSH-10).', 'The control id (MSH-10) is missing.');
  }
  return header;
}

export function isRefusal(value: object): value is Hl7Refusal {
  return 'ack' in value && 'code' in value;
}
