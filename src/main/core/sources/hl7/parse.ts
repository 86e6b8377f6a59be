// A small HL7 v2 reader for the segments Avisa needs. The npm packages looked at either frame MLLP incorrectly, need
// Node 22, ship `any` in their typings, or did not install; HL7 v2's encoding is small enough to read carefully here.
//
// A field is kept raw (still escaped) and split on demand: field → repetitions (~) → components (^) →
// subcomponents (&); only the leaf text is unescaped, so an escaped \S\ never splits a component.

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Segment {
  name: string;
  /** fields[n] is field n in HL7 numbering (MSH included: fields[1] is the field separator, fields[2] the encoding). */
  fields: string[];
}

export interface Hl7Message {
  delimiters: Delimiters;
  segments: Segment[];
}

export type ParseOutcome = { ok: true; message: Hl7Message } | { ok: false; reason: string };

export function parseHl7(text: string): ParseOutcome {
  // The standard separates segments with CR; files and hand-made senders use LF or CRLF.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  const header = lines[0] ?? '';
  if (!header.startsWith('MSH') || header.length < 8) return { ok: false, reason: 'does not start with an MSH segment' };
  const field = header[3] ?? '';
  const encoding = header.slice(4, header.indexOf(field, 4) < 0 ? undefined : header.indexOf(field, 4));
  if (encoding.length < 4 || /[A-Za-z0-9\s]/.test(field + encoding) || new Set(field + encoding.slice(0, 4)).size !== 5) {
    return { ok: false, reason: 'MSH has no valid field separator and encoding characters' };
  }
  const delimiters: Delimiters = {
    field,
    component: encoding[0] ?? '^',
    repetition: encoding[1] ?? '~',
    escape: encoding[2] ?? '\\',
    subcomponent: encoding[3] ?? '&',
  };
  // A line that does not start like a segment continues the previous one: some senders wrap long base64 (the PDF)
  // across lines. The PDF reader drops the line breaks; refusing the whole message would lose the result.
  const segmentStart = new RegExp(`^[A-Z][A-Z0-9]{2}(${escapeRegex(field)}|$)`);
  const joined: string[] = [];
  for (const line of lines) {
    if (joined.length > 0 && !segmentStart.test(line)) joined[joined.length - 1] += line;
    else joined.push(line);
  }
  const segments: Segment[] = [];
  for (const line of joined) {
    const parts = line.split(field);
    const name = parts[0] ?? '';
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name)) return { ok: false, reason: `bad segment name "${name.slice(0, 10)}"` };
    // MSH-1 is the separator itself, so MSH's fields sit one place later than the split gives them.
    const fields = name === 'MSH' ? ['MSH', field, ...parts.slice(1)] : parts;
    segments.push({ name, fields });
  }
  return { ok: true, message: { delimiters, segments } };
}

export function segments(message: Hl7Message, name: string): Segment[] {
  return message.segments.filter((s) => s.name === name);
}

export function firstSegment(message: Hl7Message, name: string): Segment | undefined {
  return message.segments.find((s) => s.name === name);
}

/** A field's raw text (escaped, all repetitions); '' when absent. MSH-2 stays as written. */
export function rawField(segment: Segment | undefined, n: number): string {
  return segment?.fields[n] ?? '';
}

/** A field's repetitions, raw. */
export function repetitions(message: Hl7Message, segment: Segment | undefined, n: number): string[] {
  const raw = rawField(segment, n);
  if (!raw) return [];
  if (segment?.name === 'MSH' && n <= 2) return [raw];
  return raw.split(message.delimiters.repetition);
}

export function firstRepetition(message: Hl7Message, segment: Segment | undefined, n: number): string {
  return repetitions(message, segment, n)[0] ?? '';
}

/**
 * The unescaped text at component `c`, subcomponent `s` (1-based; 0 means the whole level) of raw field text.
 * `value(msg, 'A^B&C', 2, 2)` is 'C'.
 */
export function value(message: Hl7Message, raw: string, c = 0, s = 0): string {
  const d = message.delimiters;
  let text = raw;
  if (c > 0) text = text.split(d.component)[c - 1] ?? '';
  if (s > 0) text = text.split(d.subcomponent)[s - 1] ?? '';
  return unescapeHl7(text, d).trim();
}

/** Field n of the segment, first repetition, at component c / subcomponent s, unescaped; '' when absent. */
export function get(message: Hl7Message, segment: Segment | undefined, n: number, c = 0, s = 0): string {
  const first = repetitions(message, segment, n)[0] ?? '';
  if (segment?.name === 'MSH' && n <= 2) return first;
  return value(message, first, c, s);
}

export function unescapeHl7(text: string, d: Delimiters): string {
  if (!text.includes(d.escape)) return text;
  const e = escapeRegex(d.escape);
  return text.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (whole, code: string) => {
    switch (code) {
      case 'F':
        return d.field;
      case 'S':
        return d.component;
      case 'T':
        return d.subcomponent;
      case 'R':
        return d.repetition;
      case 'E':
        return d.escape;
      case '.br':
        return '\n';
      case 'H':
      case 'N':
        return ''; // highlighting on/off: no meaning in a WhatsApp text
      default:
        if (/^X([0-9A-Fa-f]{2})+$/.test(code)) return Buffer.from(code.slice(1), 'hex').toString('latin1');
        return whole;
    }
  });
}

/** Escapes text Avisa writes into a field (ACK texts), so a reason with a '|' or '^' cannot break the message. */
export function escapeHl7(text: string, d: Delimiters): string {
  let out = '';
  for (const ch of text.replace(/[\r\n]+/g, ' ')) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else out += ch;
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

export const standardDelimiters: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};
