// HL7 v2 source: an MLLP listener taking ORU^R01 (results with the PDF in an ED OBX) and SIU S12/S13/S14/S15/S26
// (appointments), answering original-mode ACKs. It yields the same normalised records as the clinic-database source.

export { buildAck } from './ack';
export type { AckCode, AckInput } from './ack';
export { errorCodes } from './header';
export type { Hl7ErrorCode, Hl7Header, Hl7Refusal } from './header';
export { interpretHl7 } from './interpret';
export type { Hl7Inbound, Interpretation } from './interpret';
export { decode, HL7_DEFAULT_PORT, startHl7Listener } from './listener';
export type { Hl7Decision, Hl7Listener, Hl7ListenerOptions, Hl7RefusedEvent } from './listener';
export { createMllpDecoder, frame } from './mllp';
export type { MllpDecoder, MllpEvent } from './mllp';
export { parseHl7 } from './parse';
export type { Hl7Message } from './parse';
export { siuEvents } from './siu';
export type { SiuEvent } from './siu';
export type { SourceAppointment, SourceRecord, SourceResult } from '../clinic-db/records';
