import type { ChannelId, MessageKind } from '../../../shared/domain';
import { prepared, type Db } from './db';
import { DAILY_COUNTERS, LATENCY_COUNTERS, panelBackfill } from './migrations/026-panel-latency-table';

/** What the Panel looks at: clinic days `from`..`to` (both included, YYYY-MM-DD) and optional single-value filters. */
export interface PanelFilter {
  from: string;
  to: string;
  siteId: number | null;
  serviceId: number | null;
  kind: MessageKind | null;
  channel: ChannelId | null;
}

export type PanelGrouping = 'day' | 'week' | 'site' | 'service' | 'kind' | 'channel';

/** The summed counters of panel_daily and panel_latency (DAILY_COUNTERS, LATENCY_COUNTERS), keyed by column name. */
export type PanelCounters = Record<string, number>;

/**
 * One site's figures are cut at that site's midnight (`site_day`); the chain-wide view, and "no site", at the
 * clinic's (`day`).
 */
const dayColumn = (f: Pick<PanelFilter, 'siteId'>): 'day' | 'site_day' => (f.siteId === null ? 'day' : 'site_day');

const whereOf = (f: PanelFilter) => `${dayColumn(f)} >= @from AND ${dayColumn(f)} <= @to
  AND (@siteId IS NULL OR site_id = @siteId) AND (@serviceId IS NULL OR service_id = @serviceId)
  AND (@kind IS NULL OR kind = @kind) AND (@channel IS NULL OR channel = @channel)`;
const sumsOf = (counters: readonly string[]) => counters.map((c) => `IFNULL(SUM(${c}), 0) AS ${c}`).join(', ');
const dailySums = sumsOf(DAILY_COUNTERS);
const latencySums = sumsOf(LATENCY_COUNTERS);

// Weeks start on Monday (ISO, as clinics in the region print them); the key is that Monday's date.
const groupKey = (by: PanelGrouping, f: PanelFilter): string =>
  by === 'day' ? dayColumn(f)
  : by === 'week' ? `date(${dayColumn(f)}, '-6 days', 'weekday 1')`
  : by === 'site' ? 'site_id'
  : by === 'service' ? 'service_id'
  : by;

const params = (f: PanelFilter) => ({ ...f });
const noLatency: PanelCounters = Object.fromEntries(LATENCY_COUNTERS.map((c) => [c, 0]));

export function panelTotals(db: Db, f: PanelFilter): PanelCounters {
  const states = prepared(db, `SELECT ${dailySums} FROM panel_daily WHERE ${whereOf(f)}`).get(params(f)) as PanelCounters;
  const latency = prepared(db, `SELECT ${latencySums} FROM panel_latency WHERE ${whereOf(f)}`).get(params(f)) as PanelCounters;
  return { ...states, ...latency };
}

/** Counters per group, ordered by the group's key; a group appears only when it has messages. */
export function panelGrouped(db: Db, f: PanelFilter, by: PanelGrouping): (PanelCounters & { key: string | number })[] {
  const states = prepared(
    db,
    `SELECT ${groupKey(by, f)} AS key, ${dailySums} FROM panel_daily WHERE ${whereOf(f)} GROUP BY 1 HAVING SUM(total) > 0 ORDER BY 1`,
  ).all(params(f)) as (PanelCounters & { key: string | number })[];
  const latency = prepared(
    db,
    `SELECT ${groupKey(by, f)} AS key, ${latencySums} FROM panel_latency WHERE ${whereOf(f)} GROUP BY 1`,
  ).all(params(f)) as (PanelCounters & { key: string | number })[];
  const latencyByKey = new Map(latency.map((r) => [r.key, r]));
  return states.map((r) => ({ ...(latencyByKey.get(r.key) ?? noLatency), ...r }));
}

export function panelFailures(db: Db, f: PanelFilter): { code: string; reason: string; count: number }[] {
  return prepared(
    db,
    `SELECT code, reason, SUM(n) AS count FROM panel_failures WHERE ${whereOf(f)}
     GROUP BY code, reason HAVING SUM(n) > 0 ORDER BY count DESC, code, reason`,
  ).all(params(f)) as { code: string; reason: string; count: number }[];
}

/** The zone panel_clock was written for, or null (never: UTC). */
export function panelClockZone(db: Db): string | null {
  const row = prepared(db, 'SELECT time_zone AS zone FROM panel_clock_zone WHERE id = 1').get() as
    | { zone: string }
    | undefined;
  return row?.zone ?? null;
}

/** The zone each site's rows of panel_site_clock were written for. */
export function panelSiteClockZones(db: Db): Map<number, string> {
  const rows = prepared(db, 'SELECT site_id AS siteId, time_zone AS zone FROM panel_site_clock_zone').all() as {
    siteId: number;
    zone: string;
  }[];
  return new Map(rows.map((r) => [r.siteId, r.zone]));
}

type Offsets = { since: number; offsetMinutes: number }[];

/** The clinic's offsets as written, in order. */
export function panelClockOffsets(db: Db): Offsets {
  return prepared(db, 'SELECT since, offset_minutes AS offsetMinutes FROM panel_clock ORDER BY since').all() as Offsets;
}

/** One site's offsets as written, in order (none: the site counts on the clinic's). */
export function panelSiteClockOffsets(db: Db, siteId: number): Offsets {
  return prepared(
    db,
    'SELECT since, offset_minutes AS offsetMinutes FROM panel_site_clock WHERE site_id = ? ORDER BY since',
  ).all(siteId) as Offsets;
}

export interface ZoneClock {
  zone: string;
  offsets: readonly { since: number; offsetMinutes: number }[];
}

/**
 * Writes the clinic's offsets and each site's (from each moment on) and recounts the roll-ups on the new calendars, in
 * one transaction: at no moment does the Panel see days split at two different midnights. Sites left out keep the
 * clinic's offsets.
 */
export function replacePanelClocks(db: Db, clinic: ZoneClock, sites: readonly (ZoneClock & { siteId: number })[]): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM panel_clock').run();
    const insert = prepared(db, 'INSERT INTO panel_clock (since, offset_minutes) VALUES (?, ?)');
    for (const o of clinic.offsets) insert.run(o.since, o.offsetMinutes);
    prepared(db, 'INSERT INTO panel_clock_zone (id, time_zone) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET time_zone = excluded.time_zone').run(clinic.zone);
    prepared(db, 'DELETE FROM panel_site_clock').run();
    prepared(db, 'DELETE FROM panel_site_clock_zone').run();
    const insertSite = prepared(db, 'INSERT INTO panel_site_clock (site_id, since, offset_minutes) VALUES (?, ?, ?)');
    const insertZone = prepared(db, 'INSERT INTO panel_site_clock_zone (site_id, time_zone) VALUES (?, ?)');
    for (const site of sites) {
      for (const o of site.offsets) insertSite.run(site.siteId, o.since, o.offsetMinutes);
      insertZone.run(site.siteId, site.zone);
    }
    rebuildPanelRollups(db);
  })();
}

/** The clinic's offsets alone (every site then counts on the clinic's calendar): tests that pin a calendar by hand. */
export function replacePanelClock(db: Db, zone: string, offsets: readonly { since: number; offsetMinutes: number }[]): void {
  replacePanelClocks(db, { zone, offsets }, []);
}

/** Throws the roll-ups away and counts them again from messages and replies. */
export function rebuildPanelRollups(db: Db): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM panel_daily').run();
    prepared(db, 'DELETE FROM panel_latency').run();
    prepared(db, 'DELETE FROM panel_failures').run();
    prepared(db, 'DELETE FROM panel_appointments').run();
    db.exec(panelBackfill);
  })();
}

/** Every row of the roll-ups with a non-zero count, in key order: what a recount must reproduce exactly. */
export function panelRollupRows(db: Db): {
  daily: Record<string, unknown>[];
  latency: Record<string, unknown>[];
  failures: Record<string, unknown>[];
  appointments: Record<string, unknown>[];
} {
  return {
    appointments: prepared(
      db,
      'SELECT * FROM panel_appointments WHERE n <> 0 ORDER BY day, site_day, site_id, service_id, status, reminded, confirmed',
    ).all() as Record<string, unknown>[],
    daily: prepared(db, 'SELECT * FROM panel_daily WHERE total <> 0 ORDER BY day, site_day, site_id, service_id, kind, channel').all() as Record<
      string,
      unknown
    >[],
    latency: prepared(
      db,
      `SELECT * FROM panel_latency WHERE ${LATENCY_COUNTERS.map((c) => `${c} <> 0`).join(' OR ')}
       ORDER BY day, site_day, site_id, service_id, kind, channel`,
    ).all() as Record<string, unknown>[],
    failures: prepared(
      db,
      'SELECT * FROM panel_failures WHERE n <> 0 ORDER BY day, site_day, site_id, service_id, kind, channel, code, reason',
    ).all() as Record<string, unknown>[],
  };
}
