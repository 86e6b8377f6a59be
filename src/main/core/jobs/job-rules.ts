import { DateTime } from 'luxon';

/**
 * When a calendar job runs. Daily and hourly times are the site's wall clock, computed here with luxon rather than by
 * cron: cron skips a day whose 00:30 does not exist (a clock change that jumps 00:00→01:00), and this runs such a job
 * once that day, at the first moment that exists after it (01:30). A time that happens twice (clocks back) runs once.
 */
export type JobRule =
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'hourly'; minute: number }
  | { kind: 'every'; seconds: number };

export const daily = (hhmm: string): JobRule => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return { kind: 'daily', hour: Number(h), minute: Number(m) };
};

/** The first run strictly after `after` (epoch ms) in `zone`. */
export function nextRun(rule: JobRule, zone: string, after: number): number {
  switch (rule.kind) {
    case 'every':
      return after + rule.seconds * 1000;
    case 'hourly': {
      const hour = DateTime.fromMillis(after, { zone }).startOf('hour');
      const at = hour.set({ minute: rule.minute }).toMillis();
      return at > after ? at : hour.plus({ hours: 1 }).set({ minute: rule.minute }).toMillis();
    }
    case 'daily': {
      let day = DateTime.fromMillis(after, { zone }).startOf('day');
      for (let i = 0; i < 3; i++, day = day.plus({ days: 1 })) {
        // A wall time that does not exist that day comes out shifted forward by the gap; one that exists twice, as
        // its first occurrence.
        const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: rule.hour, minute: rule.minute }, { zone }).toMillis();
        if (at > after) return at;
      }
      throw new Error('no next run');
    }
  }
}

/** How Ajustes → Estado shows the rule: the cron spelling for calendar times, plain words for an interval. */
export function describeRule(rule: JobRule): string {
  const two = (n: number) => String(n).padStart(2, '0');
  switch (rule.kind) {
    case 'daily':
      return `${rule.minute} ${rule.hour} * * * (${two(rule.hour)}:${two(rule.minute)})`;
    case 'hourly':
      return `${rule.minute} * * * *`;
    case 'every':
      return rule.seconds % 60 === 0 ? `every ${rule.seconds / 60} min` : `every ${rule.seconds} s`;
  }
}
