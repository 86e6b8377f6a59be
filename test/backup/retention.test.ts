import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { backupsToPrune } from '../../src/main/core/backup/retention';
import { backupName } from '../../src/main/core/backup/take-backup';

const SCL = 'America/Santiago';
const at = (iso: string) => DateTime.fromISO(iso, { zone: SCL }).toMillis();

/** Nightly backups at 22:00 local for `days` days ending on `lastIso`, plus any extra moments. */
function nightly(lastIso: string, days: number, extra: string[] = []) {
  const last = DateTime.fromISO(lastIso, { zone: SCL });
  const moments = Array.from({ length: days }, (_, i) => last.minus({ days: i }).set({ hour: 22, minute: 0 }).toMillis());
  return [...moments, ...extra.map(at)].map((takenAt) => ({ name: backupName(takenAt, SCL), takenAt }));
}

describe('backup retention (14 daily + 8 weekly, in the clinic’s days)', () => {
  it('keeps the last 14 days and one per week for 8 weeks across the April clock change', () => {
    // 70 nightly backups ending Wednesday 15 April 2026; clocks went back on Sunday 5 April.
    const backups = nightly('2026-04-15', 70);
    const pruned = new Set(backupsToPrune(backups, SCL, { keepDaily: 14, keepWeekly: 8 }).map((b) => b.name));
    const kept = backups.filter((b) => !pruned.has(b.name)).map((b) => b.name).sort();
    const days = Array.from({ length: 14 }, (_, i) => `avisa-${DateTime.fromISO('2026-04-15').minus({ days: i }).toFormat('yyyy-LL-dd')}_220000`);
    // The 8 newest weeks (Monday to Sunday), counted like restic's --keep-weekly: the last three are already inside
    // the 14 days; the other five keep their Sunday.
    const sundays = ['2026-03-29', '2026-03-22', '2026-03-15', '2026-03-08', '2026-03-01'].map((d) => `avisa-${d}_220000`);
    expect(kept).toEqual([...days, ...sundays].sort());
    expect(kept).toHaveLength(19);
  });

  it('counts the 25-hour day as one day: two backups on it keep only the later', () => {
    const backups = nightly('2026-04-06', 3, ['2026-04-05T00:30']);
    const pruned = backupsToPrune(backups, SCL, { keepDaily: 14, keepWeekly: 0 });
    expect(pruned.map((b) => b.name)).toEqual(['avisa-2026-04-05_003000']);
  });

  it('never deletes the newest backup, even with nothing to keep', () => {
    const backups = nightly('2026-09-07', 2);
    expect(backupsToPrune(backups, SCL, { keepDaily: 1, keepWeekly: 0 }).map((b) => b.name)).toEqual(['avisa-2026-09-06_220000']);
  });
});
