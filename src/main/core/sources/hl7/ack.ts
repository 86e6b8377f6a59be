import { DateTime } from 'luxon';
import type { Hl7Refusal } from './header';
import { escapeHl7, firstSegment, rawField, standardDelimiters, type Hl7Message } from './parse';

// The original-mode acknowledgment (MSA-1 AA / AE / AR). The ACK is written with the sender's own delimiters so the
// fields copied from its MSH (applications, facilities, control id) go back byte for byte.

export type AckCode = 'AA' | 'AE' | 'AR';

export interface AckInput {
  /** The message being acknowledged; absent when the payload was not HL7 (nothing to echo). */
  message?: Hl7Message;
  code: AckCode;
  refusal?: Hl7Refusal;
  /** With AA: accepted, but the sender should know (MSA-3, and an ERR of severity W from v2.5). */
  warning?: { es: string; en: string };
  /** The ACK's own MSH-10. */
  controlId: string;
  at: number;
  zone: string;
  /** Put in MSH-3 when the sender left its MSH-5 (our application) empty. */
  applicationName: string;
}

const codeText: Record<string, string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '207': 'Application internal error',
};

export function buildAck(input: AckInput): string {
  const d = input.message?.delimiters ?? standardDelimiters;
  const msh = input.message ? firstSegment(input.message, 'MSH') : undefined;
  const event = input.message ? rawField(msh, 9).split(d.component)[1] ?? '' : '';
  const version = rawField(msh, 12) || '2.5';
  const fields = [
    rawField(msh, 5) || input.applicationName, // MSH-3: we are the sender now
    rawField(msh, 6), // MSH-4
    rawField(msh, 3), // MSH-5
    rawField(msh, 4), // MSH-6
    DateTime.fromMillis(input.at, { zone: input.zone }).toFormat('yyyyMMddHHmmssZZZ'), // MSH-7
    '', // MSH-8
    event ? ['ACK', event, 'ACK'].join(d.component) : 'ACK', // MSH-9
    escapeHl7(input.controlId, d), // MSH-10
    rawField(msh, 11) || 'P', // MSH-11
    version, // MSH-12
  ];
  // MSH-18: the ACK goes out in the character set the message came in.
  const charset = rawField(msh, 18);
  if (charset) fields.push('', '', '', '', '', charset);
  const encoding = d.component + d.repetition + d.escape + d.subcomponent;
  const segments = [['MSH', encoding, ...fields].join(d.field)];
  const warning = input.code === 'AA' ? input.warning : undefined;
  const reason = input.refusal ? escapeHl7(input.refusal.es, d) : warning ? escapeHl7(warning.es, d) : '';
  segments.push(['MSA', input.code, rawField(msh, 10), reason].join(d.field).replace(new RegExp(`${escapeRe(d.field)}+$`), ''));
  if (input.refusal && input.code !== 'AA') segments.push(errSegment(input.refusal, version, d));
  else if (warning && !isLegacy(version)) segments.push(warningSegment(warning, d));
  return segments.join('\r') + '\r';
}

/**
 * ERR in the sender's version: v2.5 and later read ERR-2 (location), ERR-3 (code), ERR-4 (severity), ERR-7/8
 * (diagnostic and user texts); v2.1–2.4 only ERR-1 (segment^sequence^field^code&text&table).
 */
function errSegment(refusal: Hl7Refusal, version: string, d: typeof standardDelimiters): string {
  const minor = /^2\.(\d+)/.exec(version)?.[1];
  const legacy = minor !== undefined && Number(minor) < 5;
  const label = codeText[refusal.code] ?? '';
  const location = refusal.location.join(d.component);
  if (legacy) {
    const code = [refusal.code, label, 'HL70357'].join(d.subcomponent);
    const eld = [...refusal.location, '', '', ''].slice(0, 3).join(d.component) + d.component + code;
    return ['ERR', eld].join(d.field);
  }
  return [
    'ERR',
    '', // ERR-1, deprecated
    location, // ERR-2
    [refusal.code, label, 'HL70357'].join(d.component), // ERR-3
    'E', // ERR-4 severity
    '',
    '',
    escapeHl7(refusal.en, d), // ERR-7 diagnostic information
    escapeHl7(refusal.es, d), // ERR-8 user message
  ].join(d.field);
}

function isLegacy(version: string): boolean {
  const minor = /^2\.(\d+)/.exec(version)?.[1];
  return minor !== undefined && Number(minor) < 5;
}

/** ERR for an accepted message: code 0 (HL7 table 0357, "Message accepted"), severity W (table 0516, warning). */
function warningSegment(warning: { es: string; en: string }, d: typeof standardDelimiters): string {
  return ['ERR', '', '', ['0', 'Message accepted', 'HL70357'].join(d.component), 'W', '', '', escapeHl7(warning.en, d), escapeHl7(warning.es, d)].join(
    d.field,
  );
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
