import { IANAZone } from 'luxon';
import type { Db } from '../store/db';
import { listSites } from '../store/clinic-repo';
import {
  panelClockOffsets,
  panelClockZone,
  panelSiteClockOffsets,
  panelSiteClockZones,
  replacePanelClocks,
} from '../store/panel-repo';

const MINUTE = 60_000;
// Changes of offset are months apart: a weekly step cannot jump over two of them.
const STEP = 7 * 86_400_000;
// Offsets are written for this span; before it the first offset holds, after it the last one.
const FIRST = Date.UTC(2010, 0, 4);
const LAST = Date.UTC(2050, 0, 1);

/**
 * The zone's UTC offset from each moment on, over 2010–2050: one entry, or one per summer-time change (Chile,
 * Paraguay until 2024, Mexico until 2022). Changes are found week by week, then to the minute.
 */
export function zoneOffsets(timeZone: string): { since: number; offsetMinutes: number }[] {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const offset = (at: number) => zone.offset(at);
  const out = [{ since: Number.MIN_SAFE_INTEGER, offsetMinutes: offset(FIRST) }];
  let before = offset(FIRST);
  for (let t = FIRST; t < LAST; t += STEP) {
    const after = offset(t + STEP);
    if (after === before) continue;
    let lo = t; // offset(lo) === before
    let hi = t + STEP; // offset(hi) !== before
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === before) lo = mid;
      else hi = mid;
    }
    out.push({ since: hi, offsetMinutes: offset(hi) });
    before = after;
  }
  return out;
}

/**
 * Makes the Panel's days split at the clinic's midnight for the chain and at each site's for that site. Cheap when no
 * zone changed; after a change (a new site, or the first start after the roll-ups were created or rebuilt, which
 * counted on the clinic's calendar) it recounts them: a few seconds at a million messages, once.
 */
export function syncPanelClock(db: Db, timeZone: string): boolean {
  const sites = listSites(db);
  const written = panelSiteClockZones(db);
  // Offsets compared too, not only zone names: a runtime with newer time-zone rules (a country that dropped summer
  // time, as Paraguay did in 2024) recounts on the new rules at its first start.
  const same =
    panelClockZone(db) === timeZone &&
    sameOffsets(panelClockOffsets(db), offsetsOf(timeZone)) &&
    written.size === sites.length &&
    sites.every((s) => written.get(s.id) === s.timeZone && sameOffsets(panelSiteClockOffsets(db, s.id), offsetsOf(s.timeZone)));
  if (same) return false;
  replacePanelClocks(
    db,
    { zone: timeZone, offsets: offsetsOf(timeZone) },
    sites.map((s) => ({ siteId: s.id, zone: s.timeZone, offsets: offsetsOf(s.timeZone) })),
  );
  return true;
}

const computed = new Map<string, { since: number; offsetMinutes: number }[]>();
/** Offsets per zone, computed once per process (several sites usually share one zone). */
function offsetsOf(zone: string): { since: number; offsetMinutes: number }[] {
  let offsets = computed.get(zone);
  if (!offsets) {
    // A zone this runtime does not know keeps no rows of its own: the site counts on the clinic's calendar.
    offsets = IANAZone.isValidZone(zone) ? zoneOffsets(zone) : [];
    computed.set(zone, offsets);
  }
  return offsets;
}

const sameOffsets = (a: readonly { since: number; offsetMinutes: number }[], b: readonly { since: number; offsetMinutes: number }[]) =>
  a.length === b.length && a.every((o, i) => o.since === b[i]?.since && o.offsetMinutes === b[i]?.offsetMinutes);
