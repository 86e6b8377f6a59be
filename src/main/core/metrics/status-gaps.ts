import { DateTime } from 'luxon';
import type { PanelRow } from '../../../shared/domain';
import type { Db } from '../store/db';
import { silentPeriods } from '../store/reception-repo';

/**
 * Stretches of the range in which the Cloud API sent and no webhook came back for longer than `gapMs`: delivered and
 * read counts there are unknown, not zero, so the Panel marks them incomplete instead of showing a false 0 %.
 */
export function statusGaps(
  db: Db,
  range: { from: string; to: string },
  timeZone: string,
  gapMs: number,
  now: number,
): { from: number; to: number }[] {
  const from = DateTime.fromISO(range.from, { zone: timeZone }).startOf('day').toMillis();
  const to = Math.min(now, DateTime.fromISO(range.to, { zone: timeZone }).endOf('day').toMillis());
  if (!(to > from)) return [];
  return silentPeriods(db, 'cloud-api', from, to, gapMs);
}

/** Marks the day (or week from Monday) rows that overlap a gap. */
export function markIncomplete<R extends PanelRow>(rows: R[], period: 'day' | 'week', timeZone: string, gaps: { from: number; to: number }[]): R[] {
  if (gaps.length === 0) return rows;
  return rows.map((row) => {
    const start = DateTime.fromISO(row.key, { zone: timeZone }).startOf('day');
    if (!start.isValid) return row;
    const end = start.plus(period === 'week' ? { days: 7 } : { days: 1 }).toMillis();
    const incomplete = gaps.some((g) => g.from < end && g.to > start.toMillis());
    return incomplete ? { ...row, statusesIncomplete: true } : row;
  });
}
