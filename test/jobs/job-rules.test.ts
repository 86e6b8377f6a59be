import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { calendarJobSpecs } from '../../src/main/core/jobs/calendar-jobs';
import { createJobRegistry, type JobRegistry } from '../../src/main/core/jobs/job-registry';
import { daily, nextRun, type JobRule } from '../../src/main/core/jobs/job-rules';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';

// Santiago de Chile in 2026: clocks jump 00:00→01:00 on Sunday 6 September and fall back 00:00→23:00 on Sunday 5 April.
const SCL = 'America/Santiago';
const at = (iso: string) => DateTime.fromISO(iso, { zone: SCL }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: SCL }).toFormat("yyyy-LL-dd HH:mm ZZ");

function runs(rule: JobRule, fromIso: string, count: number): string[] {
  const out: string[] = [];
  let t = at(fromIso);
  for (let i = 0; i < count; i++) out.push(local((t = nextRun(rule, SCL, t))));
  return out;
}

describe('calendar job times in the site’s zone', () => {
  it('runs a 00:30 job once on the day that skips 00:00–01:00, at the first time that exists', () => {
    expect(runs(daily('00:30'), '2026-09-04T12:00', 4)).toEqual([
      '2026-09-05 00:30 -04:00',
      '2026-09-06 01:30 -03:00',
      '2026-09-07 00:30 -03:00',
      '2026-09-08 00:30 -03:00',
    ]);
  });

  it('opens the daily caps at every local midnight, the skipped one included', () => {
    expect(runs(daily('00:00'), '2026-09-05T12:00', 2)).toEqual(['2026-09-06 01:00 -03:00', '2026-09-07 00:00 -03:00']);
  });

  it('runs a time that happens twice (clocks back) once, and keeps the nightly backup at 22:00 local', () => {
    expect(runs(daily('23:30'), '2026-04-04T12:00', 2)).toEqual(['2026-04-04 23:30 -03:00', '2026-04-05 23:30 -04:00']);
    expect(runs(daily('22:00'), '2026-04-03T23:00', 3)).toEqual(['2026-04-04 22:00 -03:00', '2026-04-05 22:00 -04:00', '2026-04-06 22:00 -04:00']);
  });

  it('runs the hourly planning pass every real hour across both changes', () => {
    expect(runs({ kind: 'hourly', minute: 0 }, '2026-09-05T22:30', 3)).toEqual(['2026-09-05 23:00 -04:00', '2026-09-06 01:00 -03:00', '2026-09-06 02:00 -03:00']);
    expect(runs({ kind: 'hourly', minute: 0 }, '2026-04-04T22:30', 3)).toEqual(['2026-04-04 23:00 -03:00', '2026-04-04 23:00 -04:00', '2026-04-05 00:00 -04:00']);
  });
});

describe('the job list', () => {
  let registry: JobRegistry | null = null;
  afterEach(() => registry?.stop());

  it('names every calendar job with its rule, zone, next run from the clock, last run and last error', async () => {
    const db = openDatabase(tempDir());
    const clock = { now: at('2026-09-05T21:00') };
    registry = createJobRegistry({ db, now: () => clock.now });
    let advanced = 0;
    const specs = calendarJobSpecs({
      clinicZone: () => SCL,
      siteZones: () => [SCL, 'America/Lima'],
      backupTime: () => '22:00',
      runBackup: async () => undefined,
      advancePlanning: () => void advanced++,
      checkCertificate: () => {
        throw new Error('El certificado de firma vence en 12 días (2026-09-17).');
      },
      dailyCapsReset: () => undefined,
    });
    for (const spec of specs) registry.set(spec);
    const list = () => Object.fromEntries(registry?.list().map((j) => [j.name, { ...j, nextRun: j.nextRun && local(j.nextRun) }]) ?? []);

    expect(Object.keys(list()).sort()).toEqual(['backup.nightly', 'certificate.expiry', 'dailyCap.reset America/Lima', 'dailyCap.reset America/Santiago', 'reminders.advance']);
    expect(list()['backup.nightly']).toMatchObject({ rule: '0 22 * * * (22:00)', zone: SCL, nextRun: '2026-09-05 22:00 -04:00', lastRun: null, lastError: null });
    expect(list()['dailyCap.reset America/Santiago']?.nextRun).toBe('2026-09-06 01:00 -03:00');
    expect(list()['dailyCap.reset America/Lima']).toMatchObject({ zone: 'America/Lima' });
    expect(DateTime.fromMillis(registry.list().find((j) => j.name === 'dailyCap.reset America/Lima')?.nextRun ?? 0, { zone: 'America/Lima' }).toFormat('yyyy-LL-dd HH:mm')).toBe('2026-09-06 00:00');
    expect(list()['certificate.expiry']?.nextRun).toBe('2026-09-06 08:00 -03:00');

    await registry.runNow('reminders.advance');
    await registry.runNow('certificate.expiry');
    expect(advanced).toBe(1);
    expect(list()['reminders.advance']).toMatchObject({ lastRun: clock.now, lastError: null });
    expect(list()['certificate.expiry']?.lastError).toMatch(/vence en 12 días/);

    // The clock moves past the backup time: the next run is tomorrow's, in the new offset's terms.
    clock.now = at('2026-09-05T22:30');
    expect(list()['backup.nightly']?.nextRun).toBe('2026-09-06 22:00 -03:00');
    // Last runs outlive the registry: a new one over the same database reads them back.
    registry.stop();
    registry = createJobRegistry({ db, now: () => clock.now });
    for (const spec of specs) registry.set(spec);
    expect(registry.list().find((j) => j.name === 'certificate.expiry')?.lastError).toMatch(/vence/);
    db.close();
  });
});
