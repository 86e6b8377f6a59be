import { DateTime } from 'luxon';
import { markIncomplete, statusGaps } from './status-gaps';
import type {
  ChannelId,
  MedianRange,
  MessageKind,
  MessageState,
  PanelFigures,
  PanelQuery,
  PanelReport,
  PanelRow,
  ReminderFigures,
} from '../../../shared/domain';
import { getSite, listServices, listSites } from '../store/clinic-repo';
import type { Db } from '../store/db';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, PANEL_STATES } from '../store/migrations/006-panel';
import { appointmentOutcomeCounts } from '../store/panel-reminders-repo';
import { panelFailures, panelGrouped, panelTotals, type PanelCounters, type PanelFilter } from '../store/panel-repo';

const DEFAULT_DAYS = 7;

export interface PanelContext {
  /** The clinic's IANA zone: its midnights split the chain's days (a site's own zone splits that site's). */
  timeZone: string;
  now: number;
  /** Silence longer than this after a Cloud API send makes delivered/read incomplete (none when absent). */
  statusGapMs?: number;
}

/** Percent with one decimal; nothing to divide by is 0 %, not a NaN on screen. */
export const pct = (n: number, of: number): number => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);

/**
 * The bucket the lower median falls in (the ⌈n/2⌉-th smallest latency): exact to the bucket, with no sorting of
 * the underlying messages.
 */
export function medianOf(histogram: readonly number[]): MedianRange | null {
  const n = histogram.reduce((a, b) => a + b, 0);
  if (n <= 0) return null;
  const rank = Math.floor((n - 1) / 2);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen > rank) return bucketRange(i);
  }
  return bucketRange(histogram.length - 1);
}

export function bucketRange(i: number): MedianRange {
  return { fromMs: i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] ?? 0), toMs: LATENCY_BOUNDS_MS[i] ?? null };
}

const bucketColumns = (prefix: 'd' | 'r') => Array.from({ length: LATENCY_BUCKETS }, (_, i) => `${prefix}${i}`);
const deliveryColumns = bucketColumns('d');
const readColumns = bucketColumns('r');

export function figuresOf(c: PanelCounters): PanelFigures {
  const byState = Object.fromEntries(PANEL_STATES.map((s) => [s, c[`s_${s}`] ?? 0])) as Record<MessageState, number>;
  const sent = byState.sent + byState.delivered + byState.read;
  const delivered = byState.delivered + byState.read;
  const replied = c.replied ?? 0;
  return {
    total: c.total ?? 0,
    byState,
    sent,
    delivered,
    read: byState.read,
    replied,
    failed: byState.failed,
    deliveredPct: pct(delivered, sent),
    readPct: pct(byState.read, sent),
    repliedPct: pct(replied, sent),
    medianToDelivery: medianOf(deliveryColumns.map((k) => c[k] ?? 0)),
    medianToRead: medianOf(readColumns.map((k) => c[k] ?? 0)),
  };
}

/** Clinic days of the question, today's week by default; reversed dates are put in order. */
export function panelRange(q: PanelQuery, ctx: PanelContext): { from: string; to: string } {
  const today = DateTime.fromMillis(ctx.now, { zone: ctx.timeZone }).toISODate() ?? '1970-01-01';
  const to = q.to ?? today;
  const from = q.from ?? DateTime.fromISO(to, { zone: ctx.timeZone }).minus({ days: DEFAULT_DAYS - 1 }).toISODate() ?? to;
  return from <= to ? { from, to } : { from: to, to: from };
}

export function panelFilter(q: PanelQuery, ctx: PanelContext): PanelFilter {
  return {
    ...panelRange(q, ctx),
    siteId: q.siteId ?? null,
    serviceId: q.serviceId ?? null,
    kind: (q.kind ?? null) as MessageKind | null,
    channel: (q.channel ?? null) as ChannelId | null,
  };
}

export function reminderFigures(db: Db, f: PanelFilter): ReminderFigures {
  const rows = appointmentOutcomeCounts(db, { from: f.from, to: f.to, siteId: f.siteId, serviceId: f.serviceId });
  const sum = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).reduce((a, r) => a + r.n, 0);
  const happened = (r: (typeof rows)[number]) => r.status === 'attended' || r.status === 'no_show';
  const confirmedReminder = (r: (typeof rows)[number]) => r.reminded === 1 && r.confirmed === 1;
  const noShow = (group: (r: (typeof rows)[number]) => boolean) => {
    const appointments = sum((r) => group(r) && happened(r));
    const noShows = sum((r) => group(r) && r.status === 'no_show');
    return { appointments, noShows, pct: pct(noShows, appointments) };
  };
  const reminded = sum((r) => r.reminded === 1);
  const confirmed = sum(confirmedReminder);
  return {
    appointments: sum(() => true),
    reminded,
    confirmed,
    confirmationPct: pct(confirmed, reminded),
    withConfirmedReminder: noShow(confirmedReminder),
    withoutConfirmedReminder: noShow((r) => !confirmedReminder(r)),
  };
}

/** One site's figures follow that site's midnight; the chain's (and messages with no site) the clinic's. */
export function panelZone(db: Db, q: Pick<PanelQuery, 'siteId'>, clinicZone: string): string {
  if (q.siteId === undefined || q.siteId === null || q.siteId === 0) return clinicZone;
  return getSite(db, q.siteId)?.timeZone ?? clinicZone;
}

/** Everything the Panel shows for one question; every figure comes from the roll-ups but the reminder outcomes. */
export function panelReport(db: Db, q: PanelQuery, clinic: PanelContext): PanelReport {
  const ctx = { ...clinic, timeZone: panelZone(db, q, clinic.timeZone) };
  const f = panelFilter(q, ctx);
  const period = q.period ?? 'day';
  const breakdown = q.breakdown ?? 'kind';
  const names =
    breakdown === 'site'
      ? new Map(listSites(db).map((s) => [String(s.id), s.name]))
      : breakdown === 'service'
        ? new Map(listServices(db).map((s) => [String(s.id), s.name]))
        : null;
  const row = (r: PanelCounters & { key: string | number }, label: (key: string) => string): PanelRow => ({
    key: String(r.key),
    label: label(String(r.key)),
    ...figuresOf(r),
  });
  const gaps =
    ctx.statusGapMs !== undefined && (f.channel === null || f.channel === 'cloud-api')
      ? statusGaps(db, f, ctx.timeZone, ctx.statusGapMs, ctx.now)
      : [];
  return {
    from: f.from,
    to: f.to,
    timeZone: ctx.timeZone,
    filters: { siteId: f.siteId, serviceId: f.serviceId, kind: f.kind, channel: f.channel },
    totals: figuresOf(panelTotals(db, f)),
    period,
    series: markIncomplete(
      panelGrouped(db, f, period).map((r) => row(r, (k) => k)),
      period,
      ctx.timeZone,
      gaps,
    ),
    breakdown,
    // Key 0 is "no site" / "no service" (a message sent by hand to a patient without one): the UI names it.
    breakdownRows: panelGrouped(db, f, breakdown).map((r) => row(r, (k) => (names ? (names.get(k) ?? '') : k))),
    failedByReason: panelFailures(db, f),
    reminders: reminderFigures(db, f),
    statusGaps: gaps,
  };
}
