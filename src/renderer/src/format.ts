import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useClinicPlace, type ClinicPlace } from './clinic';
import { localeOf } from './i18n';
import type { Epoch } from '../../shared/domain';

export interface Formatters {
  locale: string;
  number(n: number): string;
  /** `pct` is 0–100, as the core sends it. */
  percent(pct: number): string;
  dateTime(at: Epoch | null, timeZone?: string): string;
  time(at: Epoch, timeZone?: string): string;
  /** Short weekday, day of the month and time ("mié 14, 10:00 a.m."), for a moment on another day than the one shown. */
  dayTime(at: Epoch, timeZone?: string): string;
  /** Date and time to the second, for a message's timeline where several steps share a minute. */
  moment(at: Epoch): string;
  /** A calendar day `YYYY-MM-DD`, shown the same in every time zone. */
  day(day: string, style?: 'short' | 'long'): string;
}

const DASH = '—';

/** Spanish as written in the clinic's country (es-PE: "vie, 4 dic 2026, 8:45 a. m."); English as in the US. */
export function clinicLocale(language: string, country?: string): string {
  return language === 'es' && country ? `es-${country}` : localeOf(language);
}

export function makeFormatters(language: string, place: ClinicPlace = {}): Formatters {
  const locale = clinicLocale(language, place.country);
  // Times are the clinic's wall clock unless a caller names another zone (an appointment at another site).
  const zone = (timeZone?: string): string | undefined => timeZone ?? place.timeZone;
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
  const formatter = (key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
    let f = dateTimeFormats.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, options);
      dateTimeFormats.set(key, f);
    }
    return f;
  };
  return {
    locale,
    number: (n) => numberFormat.format(n),
    percent: (pct) => percentFormat.format(pct / 100),
    dateTime: (at, timeZone) =>
      at === null
        ? DASH
        : formatter(`dt|${zone(timeZone) ?? ''}`, {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: 'numeric',
            minute: '2-digit',
            timeZone: zone(timeZone),
          }).format(at),
    time: (at, timeZone) => formatter(`t|${zone(timeZone) ?? ''}`, { timeStyle: 'short', timeZone: zone(timeZone) }).format(at),
    dayTime: (at, timeZone) =>
      formatter(`wt|${zone(timeZone) ?? ''}`, {
        weekday: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: zone(timeZone),
      }).format(at),
    moment: (at) => formatter('m', { dateStyle: 'medium', timeStyle: 'medium', timeZone: place.timeZone }).format(at),
    day: (day, style = 'short') => {
      const utc = dayToUtc(day);
      if (utc === null) return day;
      const options: Intl.DateTimeFormatOptions =
        style === 'long'
          ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
          : { day: 'numeric', month: 'short', timeZone: 'UTC' };
      return formatter(`d|${style}`, options).format(utc);
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const { country, timeZone } = useClinicPlace();
  return useMemo(() => makeFormatters(i18n.language, { country, timeZone }), [i18n.language, country, timeZone]);
}

// ---- calendar days and time zones, with Intl only ----

function dayToUtc(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function utcToDay(utc: number): string {
  return new Date(utc).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const utc = dayToUtc(day);
  return utc === null ? day : utcToDay(utc + n * 86_400_000);
}

/** The calendar day `YYYY-MM-DD` an instant falls on in a time zone (on this computer when no zone is given). */
export function dayOf(at: Epoch, timeZone?: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Today's date where the clinic is (or on this computer when no zone is given). */
export function todayIn(timeZone?: string): string {
  return dayOf(Date.now(), timeZone);
}

/** How far `timeZone` is ahead of UTC at instant `at`, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (at - (at % 1000));
}

/** The instant a calendar day starts in a time zone (DST-safe: the offset is checked at the result). */
export function startOfDay(day: string, timeZone?: string): number {
  if (!timeZone) {
    if (dayToUtc(day) === null) return Number.NaN;
    const [y, mo, d] = day.split('-').map(Number);
    return new Date(y ?? 1970, (mo ?? 1) - 1, d ?? 1).getTime();
  }
  return localInstant(day, 0, timeZone);
}

/**
 * The instant a site's wall clock shows `minuteOfDay` (minutes after midnight) on `day`, e.g. an appointment typed as
 * "2026-01-14, 10:00" at a site in Lima, wherever this computer is.
 */
export function localInstant(day: string, minuteOfDay: number, timeZone: string): number {
  const utc = dayToUtc(day);
  if (utc === null || !Number.isFinite(minuteOfDay)) return Number.NaN;
  const wall = utc + minuteOfDay * 60_000;
  const offset = zoneOffset(wall - zoneOffset(wall, timeZone), timeZone);
  const at = wall - offset;
  const check = zoneOffset(at, timeZone);
  // A time skipped when clocks spring forward (00:00 in Santiago in September): the moment right after the gap, the
  // wall time read with the offset from before the change (the smaller one).
  return check === offset ? at : wall - Math.min(offset, check);
}

/**
 * An appointment's wall-clock time at its site → the instant, by the rule the core applies to CSV and HL7 times
 * (src/main/core/intake/local-time.ts): a time the clock skips that day is refused, a time it shows twice is the
 * earlier one (and said so).
 */
export function appointmentInstant(
  day: string,
  minuteOfDay: number,
  timeZone: string,
): { ok: true; at: number; ambiguous: boolean } | { ok: false; skipped: boolean } {
  const utc = dayToUtc(day);
  if (utc === null || !Number.isFinite(minuteOfDay)) return { ok: false, skipped: false };
  const wall = utc + minuteOfDay * 60_000;
  const DAY = 86_400_000;
  const offsets = new Set([zoneOffset(wall - DAY, timeZone), zoneOffset(wall, timeZone), zoneOffset(wall + DAY, timeZone)]);
  const instants = [...new Set([...offsets].map((o) => wall - o).filter((at) => at + zoneOffset(at, timeZone) === wall))].sort(
    (a, b) => a - b,
  );
  const [earlier] = instants;
  return earlier === undefined ? { ok: false, skipped: true } : { ok: true, at: earlier, ambiguous: instants.length > 1 };
}

/** "HH:MM" (as a time input gives it) → minutes after midnight, or null when it is not a time of day. */
export function parseClock(text: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** Minutes after midnight → "HH:MM", the value a time input takes. */
export function clockText(minuteOfDay: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(minuteOfDay / 60) % 24)}:${two(minuteOfDay % 60)}`;
}
