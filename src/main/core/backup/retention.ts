import { DateTime } from 'luxon';

export interface StoredBackup {
  name: string;
  takenAt: number;
}

export interface RetentionPolicy {
  keepDaily: number;
  keepWeekly: number;
}

/**
 * Which backups to delete: kept are the newest of each of the last `keepDaily` local days that have one, and the newest
 * of each of the last `keepWeekly` local weeks (Monday to Sunday). Days and weeks are the clinic's, so a 23- or 25-hour
 * day at a clock change is still one day. The newest backup is never deleted.
 */
export function backupsToPrune(backups: StoredBackup[], zone: string, policy: RetentionPolicy): StoredBackup[] {
  const newestFirst = [...backups].sort((a, b) => b.takenAt - a.takenAt);
  const keep = new Set<string>(newestFirst.slice(0, 1).map((b) => b.name));
  const keepNewestPer = (bucket: (b: StoredBackup) => string, count: number): void => {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      const key = bucket(b);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      keep.add(b.name);
    }
  };
  const local = (b: StoredBackup) => DateTime.fromMillis(b.takenAt, { zone });
  keepNewestPer((b) => local(b).toISODate() ?? '', policy.keepDaily);
  keepNewestPer((b) => local(b).toFormat("kkkk-'W'WW"), policy.keepWeekly);
  return newestFirst.filter((b) => !keep.has(b.name));
}
