import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { AppointmentCsvField, AppointmentCsvRow } from '../../../shared/api';
import type { AppointmentStatus, DocumentType, Language, Service, Site } from '../../../shared/domain';
import { instantOfWallClock, localTimeTexts } from './local-time';
import { normaliseDocumentNumber } from './patient-match';
import { normalisePhone } from './phone';

// A CSV of appointments as a clinic exports it from its agenda or types it in Excel. Spanish-locale Excel writes ';'
// (the comma is the decimal mark there), a BOM and CRLF; other tools write ',' or tabs. Every row comes back, either
// ready to import or with the reason it cannot be, in the receptionist's words: nothing is silently dropped.

/** Column names as people write them (accents, case and punctuation ignored), Spanish first. */
const headerAliases: Record<AppointmentCsvField, string[]> = {
  documentType: ['tipo_documento', 'tipo_doc', 'tipo_de_documento', 'document_type', 'doc_type'],
  documentNumber: [
    'documento', 'dni', 'nro_documento', 'numero_documento', 'num_documento', 'n_documento', 'numero_de_documento',
    // "Nº Documento" and "N° Documento" (º folds to o, ° drops), "Nro. de documento", "Nº DNI", "Número DNI".
    'no_documento', 'no_de_documento', 'n_de_documento', 'nro_de_documento', 'num_doc', 'nro_doc', 'no_doc', 'n_doc',
    'no_dni', 'n_dni', 'nro_dni', 'numero_dni', 'numero_de_dni', 'dni_ce', 'documento_de_identidad',
    'document', 'document_number', 'doc',
  ],
  firstNames: ['nombres', 'nombre', 'first_names', 'first_name', 'given_names'],
  lastNames: ['apellidos', 'apellido', 'last_names', 'last_name', 'surname'],
  phone: ['celular', 'telefono', 'movil', 'whatsapp', 'phone', 'mobile', 'cell'],
  site: ['sede', 'local', 'site', 'location'],
  service: ['servicio', 'especialidad', 'service', 'specialty'],
  date: ['fecha', 'dia', 'date', 'day'],
  time: ['hora', 'time'],
  dateTime: ['fecha_hora', 'fecha_y_hora', 'inicio', 'date_time', 'datetime', 'starts_at', 'start'],
  externalId: ['id_externo', 'id_cita', 'codigo', 'codigo_cita', 'id', 'external_id', 'appointment_id'],
  status: ['estado', 'status'],
  consent: ['consentimiento', 'autoriza_whatsapp', 'acepta_whatsapp', 'consent', 'opt_in'],
};

const statusWords: Record<string, AppointmentStatus> = {
  reservada: 'booked', reservado: 'booked', programada: 'booked', pendiente: 'booked', agendada: 'booked',
  citada: 'booked', booked: 'booked', scheduled: 'booked', pending: 'booked',
  confirmada: 'confirmed', confirmado: 'confirmed', confirmed: 'confirmed',
  cancelada: 'cancelled', cancelado: 'cancelled', anulada: 'cancelled', cancelled: 'cancelled', canceled: 'cancelled',
  atendida: 'attended', atendido: 'attended', asistio: 'attended', attended: 'attended',
  no_asistio: 'no_show', inasistencia: 'no_show', falto: 'no_show', no_show: 'no_show', noshow: 'no_show',
};

const yes = new Set(['si', 's', 'yes', 'y', '1', 'x', 'true', 'verdadero']);
const no = new Set(['no', 'n', '0', 'false', 'falso']);
const documentTypes: Record<string, DocumentType> = {
  dni: 'DNI', ce: 'CE', carne_de_extranjeria: 'CE', carnet_de_extranjeria: 'CE', pasaporte: 'PASAPORTE',
  passport: 'PASAPORTE', pas: 'PASAPORTE',
};

type Words = Record<Language, string>;
const say = (es: string, en: string): Words => ({ es, en });

const problems = {
  empty: say('El archivo está vacío.', 'The file is empty.'),
  unreadable: (detail: string) => say(`No se pudo leer el CSV: ${detail}`, `The CSV could not be read: ${detail}`),
  missingColumn: (names: string) =>
    say(`Falta la columna ${names}.`, `The column ${names} is missing.`),
  noDocument: say('Falta el número de documento.', 'The document number is missing.'),
  badDocumentType: (v: string) =>
    say(`Tipo de documento desconocido: «${v}» (use DNI, CE o PASAPORTE).`, `Unknown document type: "${v}" (use DNI, CE or PASAPORTE).`),
  noNames: say(
    'Paciente nuevo sin nombres y apellidos: complete ambas columnas.',
    'New patient without first and last names: fill in both columns.',
  ),
  noSite: say('Falta la sede.', 'The site is missing.'),
  unknownSite: (v: string, known: string) =>
    say(`Sede desconocida: «${v}». Sedes de la clínica: ${known}.`, `Unknown site: "${v}". The clinic's sites: ${known}.`),
  noService: say('Falta el servicio.', 'The service is missing.'),
  unknownService: (v: string, known: string) =>
    say(`Servicio desconocido: «${v}». Servicios de la clínica: ${known}.`, `Unknown service: "${v}". The clinic's services: ${known}.`),
  noDate: say('Falta la fecha de la cita.', 'The appointment date is missing.'),
  badDate: (v: string) =>
    say(`Fecha no válida: «${v}» (use DD/MM/AAAA o AAAA-MM-DD).`, `Invalid date: "${v}" (use DD/MM/YYYY or YYYY-MM-DD).`),
  noTime: say('Falta la hora de la cita.', 'The appointment time is missing.'),
  badTime: (v: string) => say(`Hora no válida: «${v}» (use HH:MM, p. ej. 09:30).`, `Invalid time: "${v}" (use HH:MM, e.g. 09:30).`),
  notCsvText: say(
    'El archivo está en Unicode (UTF-16, «Texto Unicode» de Excel) y no se pudo leer como tal: guárdelo como CSV UTF-8 o CSV (delimitado por punto y coma).',
    'The file is Unicode text (UTF-16, Excel\'s "Unicode Text") and could not be read as such: save it as CSV UTF-8 or CSV (semicolon delimited).',
  ),
  badPhone: (v: string, why: Words) => say(`Celular no válido: «${v}». ${why.es}`, `Invalid mobile number: "${v}". ${why.en}`),
  badStatus: (v: string) =>
    say(
      `Estado desconocido: «${v}» (use reservada, confirmada, cancelada, atendida o no asistió).`,
      `Unknown status: "${v}" (use booked, confirmed, cancelled, attended or no-show).`,
    ),
  badConsent: (v: string) => say(`Consentimiento no reconocido: «${v}» (use sí o no).`, `Consent not understood: "${v}" (use yes or no).`),
  duplicate: (line: number) =>
    say(`Repite la cita de la fila ${line}: se importa solo una vez.`, `Repeats the appointment on row ${line}: it is imported once.`),
  past: say('La cita ya pasó: se registra sin recordatorios.', 'The appointment has passed: it is recorded without reminders.'),
  noPhone: say(
    'Sin celular: la cita se registra, pero no recibirá recordatorios hasta que se agregue uno.',
    'No mobile number: the appointment is recorded but gets no reminders until one is added.',
  ),
};

const phoneWhy: Record<string, Words> = {
  invalid: say('El número no es válido.', 'The number is not valid.'),
  not_mobile: say('Parece un teléfono fijo: WhatsApp necesita un celular.', 'It looks like a landline: WhatsApp needs a mobile.'),
  empty: say('No hay número.', 'There is no number.'),
};

/** Lower case, no accents, words joined by '_': "Nº Documento" → "no_documento" (NFKD makes º an o). */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/** The separator of the header line: ';' from Spanish-locale Excel, ',' or a tab otherwise (quoted text ignored). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const firstLine = (text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: (',' | ';' | '\t')[] = [';', ',', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',' as ',' | ';' | '\t');
}

export interface CsvContext {
  sites: readonly Site[];
  services: readonly Service[];
  language: Language;
  now: number;
  /** A patient already registered with this document, to tell whether names and a phone are needed. */
  knownPatient: (type: DocumentType, number: string) => { hasPhone: boolean } | null;
}

export interface ParsedCsvRow extends AppointmentCsvRow {
  /** The parsed values the import needs; null when the row has errors. */
  record: {
    documentType: DocumentType;
    documentNumber: string;
    firstNames: string | null;
    lastNames: string | null;
    phone: string | null;
    siteId: number;
    serviceId: number;
    startsAt: number;
    status: AppointmentStatus | null;
    consent: boolean | null;
    sourceKey: string;
  } | null;
}

export interface ParsedCsv {
  rows: ParsedCsvRow[];
  /** A problem with the whole file (unreadable, missing columns): no row can be imported. */
  fileError: string | null;
  delimiter: string;
  columns: string[];
}

const fold = (s: string) => normaliseHeader(s);

/** `dd/mm/yyyy`, `dd-mm-yyyy`, `yyyy-mm-dd`, two-digit years as 20xx. */
function parseDate(raw: string): { year: number; month: number; day: number } | null {
  const v = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (m) return check(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(v);
  if (m) {
    const year = (m[3] ?? '').length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return check(year, Number(m[2]), Number(m[1]));
  }
  return null;
  function check(year: number, month: number, day: number) {
    const d = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
    return d.isValid ? { year, month, day } : null;
  }
}

/** `9:30`, `09:30:00`, `3:15 pm`, `3:15 p. m.` → minutes after midnight. */
function parseTime(raw: string): { hour: number; minute: number } | null {
  const v = raw.trim().toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ');
  const m = /^(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(am|pm|a m|p m)?$/.exec(v);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const half = m[4]?.replace(' ', '');
  if (half) {
    if (hour < 1 || hour > 12) return null;
    if (half === 'pm' && hour < 12) hour += 12;
    if (half === 'am' && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/**
 * Reads the file and checks every row against the clinic's sites and services. Dates and times are the site's local
 * ones; the row's key is its external id when it has one (so a changed time updates the same appointment), else the
 * patient, site and moment.
 */
export function parseAppointmentsCsv(text: string, ctx: CsvContext): ParsedCsv {
  const lang = ctx.language;
  const delimiter = detectDelimiter(text);
  // UTF-16 bytes that reached here undecoded (its BOM read as "ÿþ", a NUL between letters): say what to do, not that
  // a column is missing.
  if (/^(\uFEFF)?(\u00FF\u00FE|\u00FE\u00FF)/.test(text) || text.slice(0, 4096).includes('\u0000')) {
    return { rows: [], fileError: problems.notCsvText[lang], delimiter, columns: [] };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    return { rows: [], fileError: problems.unreadable(error instanceof Error ? error.message : String(error))[lang], delimiter, columns: [] };
  }
  const [head, ...body] = records;
  if (!head) return { rows: [], fileError: problems.empty[lang], delimiter, columns: [] };
  const columns = head.record;
  const indexOf = new Map<AppointmentCsvField, number>();
  columns.forEach((name, i) => {
    const key = normaliseHeader(name);
    for (const [field, aliases] of Object.entries(headerAliases) as [AppointmentCsvField, string[]][]) {
      if (!indexOf.has(field) && aliases.includes(key)) indexOf.set(field, i);
    }
  });
  const missing: string[] = [];
  if (!indexOf.has('documentNumber')) missing.push(lang === 'es' ? '«documento»' : '"document"');
  if (!indexOf.has('dateTime') && !indexOf.has('date')) missing.push(lang === 'es' ? '«fecha»' : '"date"');
  if (!indexOf.has('dateTime') && !indexOf.has('time')) missing.push(lang === 'es' ? '«hora»' : '"time"');
  if (!indexOf.has('site') && ctx.sites.length > 1) missing.push(lang === 'es' ? '«sede»' : '"site"');
  if (!indexOf.has('service') && ctx.services.length > 1) missing.push(lang === 'es' ? '«servicio»' : '"service"');
  if (missing.length) {
    return { rows: [], fileError: problems.missingColumn(missing.join(', '))[lang], delimiter, columns };
  }

  const seen = new Map<string, number>();
  const siteNames = ctx.sites.map((s) => s.name).join(', ');
  const serviceNames = ctx.services.map((s) => s.name).join(', ');
  const rows = body.map(({ record: cells, info }, index): ParsedCsvRow => {
    const line = info?.lines ?? index + 2;
    const get = (f: AppointmentCsvField): string => {
      const i = indexOf.get(f);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const errors: AppointmentCsvRow['errors'] = [];
    const warnings: string[] = [];
    const fail = (field: AppointmentCsvField, w: Words) => errors.push({ field, reason: w[lang] });

    const typeRaw = get('documentType');
    const documentType: DocumentType | undefined = typeRaw ? documentTypes[fold(typeRaw)] : 'DNI';
    if (!documentType) fail('documentType', problems.badDocumentType(typeRaw));
    const documentNumber = normaliseDocumentNumber(get('documentNumber'));
    if (!documentNumber) fail('documentNumber', problems.noDocument);
    const known = documentType && documentNumber ? ctx.knownPatient(documentType, documentNumber) : null;
    const firstNames = get('firstNames');
    const lastNames = get('lastNames');
    if (documentNumber && !known && (!firstNames || !lastNames)) fail('firstNames', problems.noNames);

    const siteRaw = get('site');
    const site = siteRaw
      ? ctx.sites.find((s) => fold(s.name) === fold(siteRaw))
      : ctx.sites.length === 1
        ? ctx.sites[0]
        : undefined;
    if (!site) fail('site', siteRaw ? problems.unknownSite(siteRaw, siteNames) : problems.noSite);
    const serviceRaw = get('service');
    const service = serviceRaw
      ? ctx.services.find((s) => fold(s.name) === fold(serviceRaw))
      : ctx.services.length === 1
        ? ctx.services[0]
        : undefined;
    if (!service) fail('service', serviceRaw ? problems.unknownService(serviceRaw, serviceNames) : problems.noService);

    // One "fecha_hora" column, or "fecha" and "hora" apart.
    let dateRaw = get('date');
    let timeRaw = get('time');
    const both = get('dateTime');
    if (both) {
      const m = /^(\S+)[\sT]+(.+)$/.exec(both);
      dateRaw = m?.[1] ?? both;
      timeRaw = m?.[2] ?? '';
    }
    const date = dateRaw ? parseDate(dateRaw) : null;
    if (!dateRaw) fail('date', problems.noDate);
    else if (!date) fail('date', problems.badDate(dateRaw));
    const time = timeRaw ? parseTime(timeRaw) : null;
    if (!timeRaw) fail('time', problems.noTime);
    else if (!time) fail('time', problems.badTime(timeRaw));
    let startsAt: number | null = null;
    if (date && time && site) {
      // The one rule for local times (intake/local-time.ts): a skipped hour is refused, a repeated one is its earlier
      // occurrence, whatever season this process started in.
      const local = instantOfWallClock({ ...date, ...time }, site.timeZone);
      const shown = `${dateRaw} ${timeRaw}`;
      if (!local.ok) {
        fail('time', local.code === 'skipped_time' ? localTimeTexts.skipped(shown, site.timeZone) : localTimeTexts.invalid(shown));
      } else {
        startsAt = local.at;
        if (local.ambiguous) warnings.push(localTimeTexts.ambiguous(shown, site.timeZone)[lang]);
        if (startsAt <= ctx.now) warnings.push(problems.past[lang]);
      }
    }

    const phoneRaw = get('phone');
    let phoneE164: string | null = null;
    if (phoneRaw) {
      const phone = normalisePhone(phoneRaw, site?.country ?? ctx.sites[0]?.country ?? 'PE');
      if (phone.ok) phoneE164 = phone.e164;
      else fail('phone', problems.badPhone(phoneRaw, phoneWhy[phone.code] ?? phoneWhy.invalid!));
    } else if (!known?.hasPhone) {
      warnings.push(problems.noPhone[lang]);
    }

    const statusRaw = get('status');
    const status = statusRaw ? statusWords[fold(statusRaw)] : null;
    if (statusRaw && !status) fail('status', problems.badStatus(statusRaw));
    const consentRaw = fold(get('consent'));
    const consent = !consentRaw ? null : yes.has(consentRaw) ? true : no.has(consentRaw) ? false : undefined;
    if (consent === undefined) fail('consent', problems.badConsent(get('consent')));

    const externalId = get('externalId');
    const sourceKey = externalId
      ? `csv:${externalId}`
      : `csv:${site?.id ?? '?'}:${documentType ?? '?'}:${documentNumber}:${startsAt ?? '?'}`;
    if (!errors.length) {
      const first = seen.get(sourceKey);
      if (first !== undefined) fail('externalId', problems.duplicate(first));
      else seen.set(sourceKey, line);
    }

    const at = startsAt;
    const ok = errors.length === 0 && site && service && documentType && at !== null;
    return {
      line,
      documentType: documentType ?? null,
      documentNumber,
      patientName: [firstNames, lastNames].filter(Boolean).join(' ') || null,
      phone: phoneE164 ?? (phoneRaw || null),
      siteName: site?.name ?? (siteRaw || null),
      serviceName: service?.name ?? (serviceRaw || null),
      startsAt,
      localWhen: startsAt !== null && site ? DateTime.fromMillis(startsAt, { zone: site.timeZone }).toFormat('dd/MM/yyyy HH:mm') : null,
      externalId: externalId || null,
      status: status ?? null,
      errors,
      warnings,
      action: null,
      record: ok
        ? {
            documentType,
            documentNumber,
            firstNames: firstNames || null,
            lastNames: lastNames || null,
            phone: phoneRaw || null,
            siteId: site.id,
            serviceId: service.id,
            startsAt: at,
            status: status ?? null,
            consent: consent ?? null,
            sourceKey,
          }
        : null,
    };
  });
  return { rows, fileError: null, delimiter, columns };
}
