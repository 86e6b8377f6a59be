import { isAbsolute, join, posix, win32 } from 'node:path';
import { DateTime } from 'luxon';
import { instantOfWallClock, localTimeTexts, type WallClock } from '../../intake/local-time';
import type { ClinicDbSourceConfig } from '../../settings/clinic-db-settings';
import {
  documentTypeFrom,
  problem,
  type SourceAppointment,
  type SourceAppointmentStatus,
  type SourcePatient,
  type SourceProblem,
  type SourceResult,
} from './records';
import type { Row } from './session';

export type Normalised<T> = { ok: true; record: T } | { ok: false; problem: SourceProblem };

type NormaliseConfig = Pick<ClinicDbSourceConfig, 'keyPrefix' | 'timeZone' | 'statusMap' | 'fileBaseDir'>;

export function normaliseResultRow(row: Row, config: NormaliseConfig, rowNumber: number): Normalised<SourceResult> {
  const resultId = text(row.result_id);
  if (!resultId) return fail(`#${rowNumber}`, 'missing_id', 'La fila no tiene result_id.', 'The row has no result_id.');
  const approved = parseInstant(row.approved_at, config.timeZone);
  if (!approved) {
    return fail(
      resultId,
      'bad_approved_at',
      'La fecha de aprobación del resultado falta o no se entiende como fecha.',
      "The result's approval date is missing or cannot be read as a date.",
      `approved_at = ${rawCell(row.approved_at)}`,
    );
  }
  const blob = row.file_blob;
  const path = text(row.file_path);
  let file: SourceResult['file'];
  if (blob instanceof Uint8Array && blob.length > 0) {
    file = { kind: 'bytes', bytes: Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength), mediaType: 'application/pdf' };
  } else if (path) {
    file = { kind: 'path', path: resolveFilePath(path, config.fileBaseDir), roots: config.fileBaseDir ? [config.fileBaseDir] : [] };
  } else {
    return fail(
      resultId,
      'missing_file',
      'La fila del resultado no indica su archivo PDF.',
      'The result row does not say which PDF file it is.',
      'neither file_path nor file_blob in the row',
    );
  }
  return {
    ok: true,
    record: {
      kind: 'result',
      source: 'clinic-db',
      sourceKey: `${config.keyPrefix}:${resultId}`,
      resultId,
      patient: patientFrom(row),
      approvedAt: approved.at,
      approvedBy: text(row.approved_by),
      accessionNumber: text(row.accession_number),
      title: text(row.title),
      site: text(row.site),
      service: text(row.service),
      corrected: false,
      file,
    },
  };
}

export function normaliseAppointmentRow(
  row: Row,
  config: NormaliseConfig,
  rowNumber: number,
): Normalised<SourceAppointment> {
  const appointmentId = text(row.appointment_id);
  if (!appointmentId) {
    return fail(`#${rowNumber}`, 'missing_id', 'La fila no tiene appointment_id.', 'The row has no appointment_id.');
  }
  const rowZone = text(row.time_zone);
  const zone = rowZone ?? config.timeZone;
  if (!DateTime.local().setZone(zone).isValid) {
    return fail(appointmentId, 'bad_time_zone', `Zona horaria desconocida: ${zone}.`, `Unknown time zone: ${zone}.`);
  }
  const start = parseInstant(row.starts_at, zone);
  const skipped = start ? null : skippedIn(row.starts_at, zone);
  if (skipped) {
    const why = localTimeTexts.skipped(skipped, zone);
    return fail(appointmentId, 'skipped_time', why.es, why.en);
  }
  if (!start) return fail(appointmentId, 'bad_starts_at', 'starts_at vacío o no es una fecha.', 'starts_at is empty or not a date.');
  const rawStatus = text(row.status) ?? '';
  const status = appointmentStatusFrom(rawStatus, config.statusMap);
  if (!status) {
    return fail(appointmentId, 'unknown_status', `Estado de cita desconocido: "${rawStatus}".`, `Unknown appointment status: "${rawStatus}".`);
  }
  const duration = Number(text(row.duration_minutes) ?? NaN);
  return {
    ok: true,
    record: {
      kind: 'appointment',
      source: 'clinic-db',
      sourceKey: `${config.keyPrefix}:${appointmentId}`,
      appointmentId,
      patient: patientFrom(row),
      site: text(row.site),
      service: text(row.service),
      professional: text(row.professional),
      startsAt: start.at,
      timeZone: start.hadOffset ? null : zone,
      // A wall-clock start with no zone of its own is the site's local time: intake reads it again in the zone of the
      // site the row names (a chain's database writes each site's own clock), the source's zone standing in only
      // when no site is known.
      ...(!start.hadOffset && !rowZone ? { localStart: localStartOf(row.starts_at) } : {}),
      durationMinutes: Number.isFinite(duration) && duration > 0 ? Math.round(duration) : null,
      status,
    },
  };
}

function patientFrom(row: Row): SourcePatient {
  const typeRaw = text(row.document_type);
  return {
    documentType: documentTypeFrom(typeRaw),
    documentTypeRaw: typeRaw,
    documentNumber: text(row.document_number),
    medicalRecordNumber: text(row.medical_record_number),
    firstNames: text(row.first_names),
    lastNames: text(row.last_names),
    phone: text(row.phone),
    birthDate: dateOnly(row.birth_date),
  };
}

/** A cell as trimmed text; null for NULL, empty text and binary data. */
export function text(cell: unknown): string | null {
  if (cell === null || cell === undefined || cell instanceof Uint8Array) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString();
  const value = String(cell).trim();
  return value.length > 0 ? value : null;
}

const OFFSET_AT_END = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * A point in time from whatever the clinic's column holds: a Date, epoch seconds or milliseconds, or text with or
 * without an offset. Text without an offset is a wall-clock time in `zone` (the site's), DST included.
 */
export function parseInstant(cell: unknown, zone: string): { at: number; hadOffset: boolean } | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : { at: cell.getTime(), hadOffset: true };
  const value = typeof cell === 'number' ? String(cell) : text(cell);
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    // Nothing in a clinic's records predates 1973 (1e11 ms) — a smaller number is seconds.
    return { at: Math.round(n < 1e11 ? n * 1000 : n), hadOffset: true };
  }
  const hadOffset = OFFSET_AT_END.test(value) && /\d[T ]?\d{2}:\d{2}/.test(value);
  if (!hadOffset) {
    // A wall-clock time: read by the one rule for local times (a repeated hour is the earlier one; a skipped one is
    // not a time), never by luxon's guess from the season this process started in.
    const wall = wallClockOfText(value);
    const local = wall ? instantOfWallClock(wall, zone) : null;
    return local?.ok ? { at: local.at, hadOffset } : null;
  }
  const options = { zone, setZone: false };
  let parsed = DateTime.fromSQL(value, options);
  if (!parsed.isValid) parsed = DateTime.fromISO(value, options);
  if (!parsed.isValid) return null;
  return { at: parsed.toMillis(), hadOffset };
}

/** "2027-04-03T23:30:00.000": the wall clock as written, for intake to read in the site's zone. */
function localStartOf(cell: unknown): string | null {
  const wall = typeof cell === 'string' ? wallClockOfText(cell.trim()) : null;
  if (!wall) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${wall.year}-${two(wall.month)}-${two(wall.day)}T${two(wall.hour)}:${two(wall.minute)}:${two(wall.second ?? 0)}.${String(wall.millisecond ?? 0).padStart(3, '0')}`;
}

/** The fields of a date-time written without an offset, as written (parsed in UTC so nothing shifts them). */
function wallClockOfText(value: string): WallClock | null {
  let parsed = DateTime.fromSQL(value, { zone: 'UTC' });
  if (!parsed.isValid) parsed = DateTime.fromISO(value, { zone: 'UTC' });
  if (!parsed.isValid) return null;
  const { year, month, day, hour, minute, second, millisecond } = parsed;
  return { year, month, day, hour, minute, second, millisecond };
}

/** Whether a cell is a real date-time that the zone's clock skips (refused with its own reason). */
function skippedIn(cell: unknown, zone: string): string | null {
  const value = typeof cell === 'string' ? cell.trim() : null;
  const wall = value && !OFFSET_AT_END.test(value) ? wallClockOfText(value) : null;
  if (!wall) return null;
  const local = instantOfWallClock(wall, zone);
  return !local.ok && local.code === 'skipped_time' ? value : null;
}

function dateOnly(cell: unknown): string | null {
  const value = text(cell);
  const match = value?.match(/^(\d{4})-?(\d{2})-?(\d{2})/);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

function resolveFilePath(path: string, baseDir: string): string {
  // A Windows clinic server's paths (C:\…, \\server\share\…) are absolute even when Avisa runs elsewhere.
  if (!baseDir || isAbsolute(path) || win32.isAbsolute(path) || posix.isAbsolute(path)) return path;
  return join(baseDir, path);
}

const builtInStatuses: Record<string, SourceAppointmentStatus> = {
  booked: 'booked',
  scheduled: 'booked',
  pending: 'booked',
  confirmed: 'booked',
  programada: 'booked',
  programado: 'booked',
  agendada: 'booked',
  reservada: 'booked',
  pendiente: 'booked',
  confirmada: 'booked',
  citada: 'booked',
  rescheduled: 'rescheduled',
  reprogramada: 'rescheduled',
  reprogramado: 'rescheduled',
  reagendada: 'rescheduled',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancelada: 'cancelled',
  cancelado: 'cancelled',
  anulada: 'cancelled',
  anulado: 'cancelled',
  attended: 'attended',
  completed: 'attended',
  complete: 'attended',
  atendida: 'attended',
  atendido: 'attended',
  realizada: 'attended',
  asistio: 'attended',
  no_show: 'no_show',
  noshow: 'no_show',
  no_asistio: 'no_show',
  inasistencia: 'no_show',
  falto: 'no_show',
  ausente: 'no_show',
};

export function appointmentStatusFrom(
  raw: string,
  statusMap: Record<string, SourceAppointmentStatus>,
): SourceAppointmentStatus | null {
  const key = statusKey(raw);
  if (!key) return null;
  for (const [word, status] of Object.entries(statusMap)) if (statusKey(word) === key) return status;
  return builtInStatuses[key] ?? null;
}

/** "No asistió", "NO-SHOW", "no_show" → one key: case, accents and separators do not matter. */
function statusKey(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

function fail<T>(ref: string, code: string, es: string, en: string, detail?: string): Normalised<T> {
  return { ok: false, problem: problem(ref, code, es, en, detail) };
}

/** A cell as IT would want to see it in a details line: quoted text, cut short, or what kind of value it was. */
function rawCell(cell: unknown): string {
  if (cell === null || cell === undefined) return 'NULL';
  if (cell instanceof Uint8Array) return `<${cell.length} bytes>`;
  const value = cell instanceof Date ? cell.toString() : String(cell);
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
