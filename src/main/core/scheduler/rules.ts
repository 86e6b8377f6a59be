import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import type { ReminderRuleView } from '../../../shared/api';
import type { AppointmentStatus, Language } from '../../../shared/domain';

// Pure reminder arithmetic: which reminders an appointment gets and when. All instants are UTC epoch ms; local time
// (quiet hours, "the day before at the same time", the text the patient reads) exists only inside these functions.

/** A reminder slot of a site and service (the API contract's type). */
export type ReminderRule = ReminderRuleView;

/** Local minutes after midnight; an end before the start crosses midnight (21:00–07:00). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

export interface SitePlanning {
  id: number;
  name: string;
  timeZone: string; // IANA
  quietHours: QuietHours | null;
  minLeadMinutes: number;
  catchUpMinBeforeMinutes: number;
}

export interface AppointmentToPlan {
  id: number;
  siteId: number;
  serviceId: number;
  startsAt: number;
  /** When the booking became known; reminders due sooner than the minimum lead after it are skipped. */
  bookedAt?: number;
  status: AppointmentStatus;
  patientFirstName?: string;
  serviceName?: string;
}

export interface ReminderPlan {
  ruleKey: string;
  ruleId: number;
  sendAt: number;
  templateName: string;
  templateLanguage: string;
  /** Template parameters: first name, service, site, local date and time. */
  params: string[];
  /** The lead time put it inside quiet hours, so it goes earlier. */
  movedForQuietHours: boolean;
}

export type SkipCode = 'too_close_to_booking' | 'quiet_hours' | 'merged';

export interface SkippedReminder {
  ruleKey: string;
  ruleId: number;
  code: SkipCode;
  /** When it would have gone. */
  sendAt: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startMinute: 21 * 60, endMinute: 7 * 60 };

const MINUTE = 60_000;
const DAY_MINUTES = 1440;

// Luxon asks the IANA database (through Intl) for the offset on every conversion, about 5 µs each; planning 100,000
// appointments makes millions. Offsets only change at DST transitions (never two within hours), so one answer per six
// hours is kept, and a span that contains a transition is never cached (its two ends disagree) but asked each time.
const BUCKET_MS = 6 * 60 * MINUTE;

class CachedZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly iana: IANAZone) {
    super();
  }

  override get type(): string {
    return 'avisa-cached-iana';
  }

  override get name(): string {
    return this.iana.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.iana.offsetName(ts, options) ?? '';
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    const bucket = Math.floor(ts / BUCKET_MS);
    const known = this.offsets.get(bucket);
    if (known !== undefined) return known;
    const start = this.iana.offset(bucket * BUCKET_MS);
    if (start !== this.iana.offset(bucket * BUCKET_MS + BUCKET_MS - 1)) return this.iana.offset(ts);
    if (this.offsets.size > 200_000) this.offsets.clear();
    this.offsets.set(bucket, start);
    return start;
  }

  override equals(other: Zone): boolean {
    return other instanceof CachedZone && other.name === this.name;
  }

  override get isValid(): boolean {
    return this.iana.isValid;
  }
}

const zones = new Map<string, Zone>();

/** The luxon zone for an IANA name; throws on a name the time-zone database does not know. */
export function siteZone(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    const iana = IANAZone.create(timeZone);
    if (!iana.isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
    zones.set(timeZone, (zone = new CachedZone(iana)));
  }
  return zone;
}

export const activeStatuses: readonly AppointmentStatus[] = ['booked', 'confirmed'];

/** Two reminders closer than this (quiet hours can pull both to the same evening) would read as a repeat. */
export const MERGE_WITHIN_MS = 30 * MINUTE;

export type InactiveCode =
  | 'appointment_cancelled'
  | 'patient_cancelled'
  | 'appointment_attended'
  | 'appointment_no_show';

/**
 * Why an appointment gets no reminders, or null when it still does. The patient's own cancellation holds for the time
 * they answered even when the clinic's source still says booked (until the write-back reaches it).
 */
export function inactiveCode(a: {
  status: AppointmentStatus;
  startsAt: number;
  answer: 'confirmed' | 'cancelled' | null;
  answerStartsAt: number | null;
}): InactiveCode | null {
  switch (a.status) {
    case 'cancelled':
      return 'appointment_cancelled';
    case 'attended':
      return 'appointment_attended';
    case 'no_show':
      return 'appointment_no_show';
    default:
      return a.answer === 'cancelled' && a.answerStartsAt === a.startsAt ? 'patient_cancelled' : null;
  }
}

/** "24h", "2h", "90m": the key a new rule gets from its lead time. */
export function ruleKeyForLead(leadMinutes: number): string {
  return leadMinutes % 60 === 0 ? `${leadMinutes / 60}h` : `${leadMinutes}m`;
}

// Service-specific beats site-specific: a service's preparation (fasting, imaging) matters more than the building.
function specificity(rule: ReminderRule): number {
  return (rule.serviceId !== null ? 2 : 0) + (rule.siteId !== null ? 1 : 0);
}

// Planning a batch asks for the same few (site, service) pairs thousands of times; rule lists are never mutated.
const effectiveMemo = new WeakMap<readonly ReminderRule[], Map<string, ReminderRule[]>>();

function effectiveRulesMemo(rules: readonly ReminderRule[], siteId: number, serviceId: number): ReminderRule[] {
  let bySite = effectiveMemo.get(rules);
  if (!bySite) effectiveMemo.set(rules, (bySite = new Map()));
  const key = `${siteId}|${serviceId}`;
  let found = bySite.get(key);
  if (!found) bySite.set(key, (found = effectiveRules(rules, siteId, serviceId)));
  return found;
}

/**
 * The rules that apply to one site and service: per key the most specific matching rule, dropped when it is disabled
 * (so a disabled specific rule switches the general one off there).
 */
export function effectiveRules(rules: readonly ReminderRule[], siteId: number, serviceId: number): ReminderRule[] {
  const byKey = new Map<string, ReminderRule>();
  for (const rule of rules) {
    if (rule.siteId !== null && rule.siteId !== siteId) continue;
    if (rule.serviceId !== null && rule.serviceId !== serviceId) continue;
    const held = byKey.get(rule.ruleKey);
    if (!held || specificity(rule) > specificity(held)) byKey.set(rule.ruleKey, rule);
  }
  return [...byKey.values()].filter((r) => r.enabled).sort((a, b) => b.leadMinutes - a.leadMinutes);
}

function localOf(at: number, timeZone: string): DateTime {
  return DateTime.fromMillis(at, { zone: siteZone(timeZone) });
}

function minuteOfDay(local: DateTime): number {
  return local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
}

function quietAt(local: DateTime, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.startMinute === quiet.endMinute) return false;
  const m = minuteOfDay(local);
  return quiet.startMinute > quiet.endMinute
    ? m >= quiet.startMinute || m < quiet.endMinute
    : m >= quiet.startMinute && m < quiet.endMinute;
}

function atMinute(day: DateTime, minuteOfDay: number): DateTime {
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second: 0, millisecond: 0 });
}

// Past midnight in a 21:00–07:00 window, the quiet period began the evening before.
function lastMinuteBefore(local: DateTime, quiet: QuietHours): number {
  const pastMidnight = quiet.startMinute > quiet.endMinute && minuteOfDay(local) < quiet.endMinute;
  const day = pastMidnight ? local.minus({ days: 1 }) : local;
  return atMinute(day, quiet.startMinute).toMillis() - MINUTE;
}

/**
 * The moment `leadMinutes` before `startsAt`. Whole days are counted on the site's calendar (the day before at the
 * same wall-clock time, which is what a patient expects); across a DST change 24 elapsed hours would be an hour off.
 * The rest is elapsed time.
 */
export function leadInstant(startsAt: number, leadMinutes: number, timeZone: string): number {
  const days = Math.floor(leadMinutes / DAY_MINUTES);
  const rest = leadMinutes - days * DAY_MINUTES;
  const base = days > 0 ? localOf(startsAt, timeZone).minus({ days }).toMillis() : startsAt;
  return base - rest * MINUTE;
}

export function isQuiet(at: number, timeZone: string, quiet: QuietHours | null): boolean {
  return quietAt(localOf(at, timeZone), quiet);
}

/** Inside quiet hours → the last minute before they began (moving earlier keeps the reminder useful). */
export function beforeQuietHours(at: number, timeZone: string, quiet: QuietHours | null): number {
  if (!quiet) return at;
  const local = localOf(at, timeZone);
  return quietAt(local, quiet) ? lastMinuteBefore(local, quiet) : at;
}

/** Inside quiet hours → the moment they end (for a late reminder that may still go, later rather than at night). */
export function afterQuietHours(at: number, timeZone: string, quiet: QuietHours | null): number {
  if (!quiet) return at;
  const local = localOf(at, timeZone);
  if (!quietAt(local, quiet)) return at;
  const beforeMidnight = quiet.startMinute > quiet.endMinute && minuteOfDay(local) >= quiet.startMinute;
  const day = beforeMidnight ? local.plus({ days: 1 }) : local;
  return atMinute(day, quiet.endMinute).toMillis();
}

// Appointments sit on a few slots (every 15 or 30 minutes) and a site has a few rules, so the same computation
// repeats across thousands of appointments; the answer depends only on these inputs.
const sendTimes = new Map<string, { ideal: number; sendAt: number }>();

/** When a reminder `leadMinutes` ahead goes: the ideal moment, and the one moved out of quiet hours. */
export function sendTime(
  startsAt: number,
  leadMinutes: number,
  timeZone: string,
  quiet: QuietHours | null,
): { ideal: number; sendAt: number } {
  const key = `${timeZone}|${quiet ? `${quiet.startMinute}-${quiet.endMinute}` : '-'}|${leadMinutes}|${startsAt}`;
  let known = sendTimes.get(key);
  if (!known) {
    const ideal = leadInstant(startsAt, leadMinutes, timeZone);
    known = { ideal, sendAt: beforeQuietHours(ideal, timeZone, quiet) };
    if (sendTimes.size > 100_000) sendTimes.clear();
    sendTimes.set(key, known);
  }
  return known;
}

const whenFormats: Record<Language, { locale: string; day: string; compose: (day: string, time: string) => string }> = {
  es: { locale: 'es', day: "cccc d 'de' LLLL", compose: (day, time) => `${day} a las ${time}` },
  en: { locale: 'en', day: 'cccc, LLLL d', compose: (day, time) => `${day} at ${time}` },
};

// Appointments sit on a few days and slots, so most texts repeat; the localised day name is the costly part.
const whenCache = new Map<string, string>();
const dayCache = new Map<string, string>();

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "lunes 1 de diciembre a las 09:30", in the site's zone. */
export function formatLocalWhen(at: number, timeZone: string, language: Language): string {
  const key = `${timeZone}|${language}|${at}`;
  let text = whenCache.get(key);
  if (text === undefined) {
    const f = whenFormats[language];
    const local = localOf(at, timeZone);
    const dayKey = `${timeZone}|${language}|${local.year}-${local.month}-${local.day}`;
    let day = dayCache.get(dayKey);
    if (day === undefined) {
      day = local.setLocale(f.locale).toFormat(f.day);
      if (dayCache.size > 5_000) dayCache.clear();
      dayCache.set(dayKey, day);
    }
    text = f.compose(day, `${two(local.hour)}:${two(local.minute)}`);
    if (whenCache.size > 20_000) whenCache.clear();
    whenCache.set(key, text);
  }
  return text;
}

export function languageOfTemplate(templateLanguage: string): Language {
  return templateLanguage.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/** Every reminder the rules give an appointment, and the ones skipped with why. Inactive appointments get none. */
export function planRemindersDetailed(
  appointment: AppointmentToPlan,
  rules: readonly ReminderRule[],
  site: SitePlanning,
  now: number,
): { planned: ReminderPlan[]; skipped: SkippedReminder[] } {
  const planned: ReminderPlan[] = [];
  const skipped: SkippedReminder[] = [];
  if (!activeStatuses.includes(appointment.status)) return { planned, skipped };
  const earliest = (appointment.bookedAt ?? now) + site.minLeadMinutes * MINUTE;
  for (const rule of effectiveRulesMemo(rules, appointment.siteId, appointment.serviceId)) {
    const { ideal, sendAt } = sendTime(appointment.startsAt, rule.leadMinutes, site.timeZone, site.quietHours);
    if (sendAt < earliest) {
      skipped.push({
        ruleKey: rule.ruleKey,
        ruleId: rule.id,
        code: ideal >= earliest ? 'quiet_hours' : 'too_close_to_booking',
        sendAt,
      });
      continue;
    }
    planned.push({
      ruleKey: rule.ruleKey,
      ruleId: rule.id,
      sendAt,
      templateName: rule.templateName,
      templateLanguage: rule.templateLanguage,
      params: [
        appointment.patientFirstName ?? '',
        appointment.serviceName ?? '',
        site.name,
        formatLocalWhen(appointment.startsAt, site.timeZone, languageOfTemplate(rule.templateLanguage)),
      ],
      movedForQuietHours: sendAt !== ideal,
    });
  }
  return mergeClose(planned, skipped);
}

// Sorted by lead, longest first: of two reminders too close together the one nearer the appointment stays.
function mergeClose(
  planned: ReminderPlan[],
  skipped: SkippedReminder[],
): { planned: ReminderPlan[]; skipped: SkippedReminder[] } {
  const kept: ReminderPlan[] = [];
  planned.forEach((plan, i) => {
    const next = planned[i + 1];
    if (next && Math.abs(next.sendAt - plan.sendAt) < MERGE_WITHIN_MS) {
      skipped.push({ ruleKey: plan.ruleKey, ruleId: plan.ruleId, code: 'merged', sendAt: plan.sendAt });
    } else {
      kept.push(plan);
    }
  });
  return { planned: kept, skipped };
}

/** The reminders an appointment gets: `[{ ruleKey: '24h', sendAt, templateName, params }]`. */
export function planReminders(
  appointment: AppointmentToPlan,
  rules: readonly ReminderRule[],
  site: SitePlanning,
  now: number,
): ReminderPlan[] {
  return planRemindersDetailed(appointment, rules, site, now).planned;
}
