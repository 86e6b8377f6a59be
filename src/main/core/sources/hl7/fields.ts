import { DateTime, FixedOffsetZone } from 'luxon';
import { instantOfWallClock, type WallClock } from '../../intake/local-time';
import { documentTypeFrom, type SourcePatient } from '../clinic-db/records';
import { get, repetitions, value, type Hl7Message, type Segment } from './parse';

// Readers for the HL7 data types Avisa takes apart: DTM/TS, CX (PID-3), XPN (PID-5), XTN (PID-13), XCN / CNN
// (responsible observer, interpreter, personnel).

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/** An HL7 DTM taken apart: the wall-clock time as written, and its UTC offset in minutes when the sender gave one. */
export function readDtm(text: string): { wall: WallClock; offsetMinutes: number | null } | null {
  const match = DTM.exec(text.trim());
  if (!match) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', offset] = match;
  const wall: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(frac.padEnd(3, '0').slice(0, 3)),
  };
  const offsetMinutes = offset ? (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3))) : null;
  return { wall, offsetMinutes };
}

/** The wall clock as ISO text without offset, "2027-04-03T23:30:00.000": how a local time travels to intake. */
export function isoOfWallClock(w: WallClock): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second ?? 0)}.${p(w.millisecond ?? 0, 3)}`;
}

/**
 * An HL7 DTM (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]). Without an offset it is a wall-clock time in `zone`, read by
 * the one rule for local times (a repeated hour is its earlier occurrence; a skipped one is not a time: null).
 */
export function parseDtm(text: string, zone: string): { at: number; hadOffset: boolean; ambiguous: boolean } | null {
  const read = readDtm(text);
  if (!read) return null;
  const { wall, offsetMinutes } = read;
  if (offsetMinutes !== null) {
    const parsed = DateTime.fromObject({ ...wall }, { zone: FixedOffsetZone.instance(offsetMinutes) });
    return parsed.isValid ? { at: parsed.toMillis(), hadOffset: true, ambiguous: false } : null;
  }
  const local = instantOfWallClock(wall, zone);
  return local.ok ? { at: local.at, hadOffset: false, ambiguous: local.ambiguous } : null;
}

/** YYYY-MM-DD from a DTM, for birth dates (no zone: a date is not an instant). */
export function dateOfDtm(text: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(text.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** The patient from PID: document from PID-3's typed identifiers, names from PID-5, a mobile from PID-13. */
export function patientFromPid(message: Hl7Message, pid: Segment | undefined): SourcePatient {
  let document: { type: SourcePatient['documentType']; typeRaw: string | null; number: string } | null = null;
  let untyped: string | null = null;
  let mrn: string | null = null;
  for (const rep of repetitions(message, pid, 3)) {
    const id = value(message, rep, 1);
    if (!id) continue;
    const typeCode = value(message, rep, 5);
    const authority = value(message, rep, 4, 1);
    // Peru's RENIEC issues the DNI and Migraciones the carné de extranjería: the authority tells when the type does not.
    const type =
      documentTypeFrom(typeCode) ??
      (/RENIEC/i.test(authority) ? 'DNI' : /MIGRACIONES/i.test(authority) ? 'CE' : null);
    if (type && !document) document = { type, typeRaw: typeCode || authority, number: id };
    else if (/^(MR|PI|MRN)$/i.test(typeCode) && !mrn) mrn = id;
    else if (!typeCode && !untyped) untyped = id;
  }
  const name = preferredName(message, pid);
  return {
    documentType: document?.type ?? null,
    documentTypeRaw: document?.typeRaw ?? null,
    // An identifier without a type may still be the document; intake matches it by number, or sends it to review.
    documentNumber: document?.number ?? untyped ?? (get(message, pid, 2, 1) || null),
    medicalRecordNumber: mrn,
    firstNames: name.first,
    lastNames: name.last,
    phone: phoneFromPid(message, pid),
    birthDate: dateOfDtm(get(message, pid, 7, 1)),
  };
}

function preferredName(message: Hl7Message, pid: Segment | undefined): { first: string | null; last: string | null } {
  const reps = repetitions(message, pid, 5);
  // The legal name (type L) when several are sent; else the first.
  const rep = reps.find((r) => value(message, r, 7) === 'L') ?? reps[0] ?? '';
  const last = value(message, rep, 1, 1);
  const first = [value(message, rep, 2), value(message, rep, 3)].filter(Boolean).join(' ');
  return { first: first || null, last: last || null };
}

/** A mobile first (equipment type CP), then any number; e-mail entries skipped. */
function phoneFromPid(message: Hl7Message, pid: Segment | undefined): string | null {
  const numbers = repetitions(message, pid, 13)
    .map((rep) => ({ equipment: value(message, rep, 3).toUpperCase(), number: xtnNumber(message, rep) }))
    .filter((p) => p.number && p.equipment !== 'INTERNET' && p.equipment !== 'X.400');
  return (numbers.find((p) => p.equipment === 'CP') ?? numbers[0])?.number ?? null;
}

function xtnNumber(message: Hl7Message, rep: string): string {
  const country = value(message, rep, 5).replace(/^\+/, '');
  const area = value(message, rep, 6);
  const local = value(message, rep, 7);
  if (local) return `${country ? `+${country} ` : ''}${area ? `${area} ` : ''}${local}`.trim();
  return value(message, rep, 12) || value(message, rep, 1);
}

/** A person from XCN (id^family^given^second…): "given second family", or the id when no name is sent. */
export function personFromXcn(message: Hl7Message, raw: string): string | null {
  const family = value(message, raw, 2, 1);
  const given = [value(message, raw, 3), value(message, raw, 4)].filter(Boolean).join(' ');
  const name = [given, family].filter(Boolean).join(' ');
  return name || value(message, raw, 1) || null;
}

/** A person from NDL's first component, a CNN written with subcomponents (id&family&given&second…). */
export function personFromNdl(message: Hl7Message, raw: string): string | null {
  const family = value(message, raw, 1, 2);
  const given = [value(message, raw, 1, 3), value(message, raw, 1, 4)].filter(Boolean).join(' ');
  const name = [given, family].filter(Boolean).join(' ');
  return name || value(message, raw, 1, 1) || null;
}

/** A coded element's words when sent, else its code: what a receptionist would call it. */
export function textOfCoded(message: Hl7Message, raw: string): string | null {
  return value(message, raw, 2) || value(message, raw, 1) || null;
}
