import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_HOURS,
  afterQuietHours,
  beforeQuietHours,
  effectiveRules,
  formatLocalWhen,
  planReminders,
  planRemindersDetailed,
  ruleKeyForLead,
  type AppointmentToPlan,
  type ReminderRule,
  type SitePlanning,
} from '../../src/main/core/scheduler/rules';

const rule = (over: Partial<ReminderRule> & { leadMinutes: number }): ReminderRule => ({
  id: over.leadMinutes,
  ruleKey: ruleKeyForLead(over.leadMinutes),
  siteId: null,
  serviceId: null,
  templateName: 'recordatorio_cita',
  templateLanguage: 'es',
  enabled: true,
  ...over,
});

const defaults = [rule({ leadMinutes: 1440 }), rule({ leadMinutes: 120 })];

const siteIn = (timeZone: string, over: Partial<SitePlanning> = {}): SitePlanning => ({
  id: 1,
  name: 'Sede Central',
  timeZone,
  quietHours: DEFAULT_QUIET_HOURS,
  minLeadMinutes: 30,
  catchUpMinBeforeMinutes: 60,
  ...over,
});

const at = (isoLocal: string, zone: string): number => {
  const dt = DateTime.fromISO(isoLocal, { zone });
  if (!dt.isValid) throw new Error(isoLocal);
  return dt.toMillis();
};
const utc = (ms: number): string => new Date(ms).toISOString();

function plan(
  startsLocal: string,
  bookedLocal: string,
  o: { zone?: string; rules?: ReminderRule[]; site?: Partial<SitePlanning>; serviceId?: number } = {},
): Record<string, string> {
  const zone = o.zone ?? 'America/Lima';
  const appointment: AppointmentToPlan = {
    id: 7,
    siteId: 1,
    serviceId: o.serviceId ?? 1,
    startsAt: at(startsLocal, zone),
    bookedAt: at(bookedLocal, zone),
    status: 'booked',
    patientFirstName: 'Ana',
    serviceName: 'Cardiología',
  };
  const planned = planReminders(appointment, o.rules ?? defaults, siteIn(zone, o.site), at(bookedLocal, zone));
  return Object.fromEntries(planned.map((p) => [p.ruleKey, utc(p.sendAt)]));
}

describe('reminder rule matrix (America/Lima, UTC−5, no DST)', () => {
  it('booked days ahead: both reminders, 24 h and 2 h before', () => {
    expect(plan('2025-12-01T09:30', '2025-11-25T10:00')).toEqual({
      '24h': '2025-11-30T14:30:00.000Z', // Sunday 09:30 local
      '2h': '2025-12-01T12:30:00.000Z', // Monday 07:30 local
    });
  });

  it('booked 3 h ahead: the 2 h reminder only', () => {
    const detailed = planRemindersDetailed(
      { id: 7, siteId: 1, serviceId: 1, startsAt: at('2025-12-01T15:00', 'America/Lima'), status: 'booked' },
      defaults,
      siteIn('America/Lima'),
      at('2025-12-01T12:00', 'America/Lima'),
    );
    expect(detailed.planned.map((p) => [p.ruleKey, utc(p.sendAt)])).toEqual([['2h', '2025-12-01T18:00:00.000Z']]);
    expect(detailed.skipped).toEqual([expect.objectContaining({ ruleKey: '24h', code: 'too_close_to_booking' })]);
  });

  it('a reminder due sooner than the minimum lead after booking is skipped; one just at it is kept', () => {
    expect(plan('2025-12-01T15:00', '2025-12-01T12:40')).toEqual({}); // 2 h reminder 20 min after booking
    expect(plan('2025-12-01T15:00', '2025-12-01T12:30')).toEqual({ '2h': '2025-12-01T18:00:00.000Z' });
    expect(plan('2025-12-01T15:00', '2025-12-01T12:40', { site: { minLeadMinutes: 10 } })).toEqual({
      '2h': '2025-12-01T18:00:00.000Z',
    });
  });

  it('inside quiet hours: moved earlier, to the last minute before 21:00 the evening before', () => {
    // 08:00 appointment: the 2 h reminder would go at 06:00.
    expect(plan('2025-12-02T08:00', '2025-11-25T10:00')).toEqual({
      '24h': '2025-12-01T13:00:00.000Z', // 08:00 the day before
      '2h': '2025-12-02T01:59:00.000Z', // 20:59 the day before
    });
  });

  it('07:00 is already allowed and 21:00 is already quiet', () => {
    expect(plan('2025-12-02T09:00', '2025-11-25T10:00')['2h']).toBe('2025-12-02T12:00:00.000Z'); // 07:00
    expect(plan('2025-12-02T23:00', '2025-11-25T10:00')['2h']).toBe('2025-12-03T01:59:00.000Z'); // 21:00 → 20:59
    expect(plan('2025-12-02T22:59', '2025-11-25T10:00')['2h']).toBe('2025-12-03T01:59:00.000Z'); // 20:59 stays
  });

  it('across midnight: a 00:30 appointment gets its reminders before the quiet hours of the previous evening', () => {
    expect(plan('2025-12-03T00:30', '2025-11-25T10:00')).toEqual({
      '24h': '2025-12-02T01:59:00.000Z', // 00:30 on the 2nd is quiet → 20:59 on the 1st
      '2h': '2025-12-03T01:59:00.000Z', // 22:30 on the 2nd is quiet → 20:59 on the 2nd
    });
  });

  it('booked in the evening for early next morning: the moved reminder would be before the booking, so none', () => {
    const detailed = planRemindersDetailed(
      { id: 7, siteId: 1, serviceId: 1, startsAt: at('2025-12-02T08:00', 'America/Lima'), status: 'booked' },
      defaults,
      siteIn('America/Lima'),
      at('2025-12-01T21:30', 'America/Lima'),
    );
    expect(detailed.planned).toEqual([]);
    expect(detailed.skipped.map((s) => [s.ruleKey, s.code])).toEqual([
      ['24h', 'too_close_to_booking'],
      ['2h', 'quiet_hours'],
    ]);
  });

  it('quiet hours that do not cross midnight, and none at all', () => {
    const siesta = { quietHours: { startMinute: 13 * 60, endMinute: 15 * 60 } };
    expect(plan('2025-12-02T16:00', '2025-11-25T10:00', { site: siesta })['2h']).toBe('2025-12-02T17:59:00.000Z');
    expect(plan('2025-12-02T08:00', '2025-11-25T10:00', { site: { quietHours: null } })['2h']).toBe(
      '2025-12-02T11:00:00.000Z',
    );
  });

  it('two reminders pulled to the same evening are merged: the one nearer the appointment stays', () => {
    const rules = [...defaults, rule({ leadMinutes: 11 * 60 })];
    const detailed = planRemindersDetailed(
      { id: 7, siteId: 1, serviceId: 1, startsAt: at('2025-12-02T08:00', 'America/Lima'), status: 'booked' },
      rules,
      siteIn('America/Lima'),
      at('2025-11-20T10:00', 'America/Lima'),
    );
    expect(detailed.planned.map((p) => p.ruleKey)).toEqual(['24h', '2h']);
    expect(detailed.skipped).toEqual([expect.objectContaining({ ruleKey: '11h', code: 'merged' })]);
  });

  it('a cancelled, attended or no-show appointment gets no reminders', () => {
    for (const status of ['cancelled', 'attended', 'no_show'] as const) {
      const planned = planReminders(
        { id: 7, siteId: 1, serviceId: 1, startsAt: at('2025-12-02T10:00', 'America/Lima'), status },
        defaults,
        siteIn('America/Lima'),
        at('2025-11-20T10:00', 'America/Lima'),
      );
      expect(planned).toEqual([]);
    }
  });

  it('returns the template and its parameters: first name, service, site, local date and time', () => {
    const [first] = planReminders(
      {
        id: 7,
        siteId: 1,
        serviceId: 1,
        startsAt: at('2025-12-01T09:30', 'America/Lima'),
        bookedAt: at('2025-11-20T10:00', 'America/Lima'),
        status: 'booked',
        patientFirstName: 'Ana',
        serviceName: 'Cardiología',
      },
      defaults,
      siteIn('America/Lima'),
      0,
    );
    expect(first).toMatchObject({
      ruleKey: '24h',
      templateName: 'recordatorio_cita',
      params: ['Ana', 'Cardiología', 'Sede Central', 'lunes 1 de diciembre a las 09:30'],
    });
  });
});

describe('rules per site and service', () => {
  const general = rule({ id: 1, leadMinutes: 1440 });
  const twoHours = rule({ id: 2, leadMinutes: 120 });
  const site2Off = rule({ id: 3, leadMinutes: 120, siteId: 2, enabled: false });
  const imaging48 = rule({ id: 4, leadMinutes: 2880, ruleKey: '24h', serviceId: 9, templateName: 'preparacion' });

  it('the most specific rule per key wins, and a disabled one switches the general rule off there', () => {
    const rules = [general, twoHours, site2Off, imaging48];
    expect(effectiveRules(rules, 1, 1).map((r) => r.id)).toEqual([1, 2]);
    expect(effectiveRules(rules, 2, 1).map((r) => r.id)).toEqual([1]);
    expect(effectiveRules(rules, 2, 9).map((r) => [r.id, r.templateName])).toEqual([[4, 'preparacion']]);
  });

  it('rule keys come from the lead time', () => {
    expect([1440, 120, 90, 2880].map(ruleKeyForLead)).toEqual(['24h', '2h', '90m', '48h']);
  });
});

describe('DST, checked by hand against the UTC instants', () => {
  it('America/Santiago, spring forward (Sun 2024-09-08 00:00 −04 → 01:00 −03)', () => {
    // Appointment Sunday 10:00 −03 = 13:00Z. The day before at 10:00 is still −04 = 14:00Z: 23 elapsed hours.
    expect(plan('2024-09-08T10:00', '2024-09-01T10:00', { zone: 'America/Santiago' })).toEqual({
      '24h': '2024-09-07T14:00:00.000Z',
      '2h': '2024-09-08T11:00:00.000Z', // 08:00 −03
    });
  });

  it('America/Santiago, fall back (Sun 2024-04-07 00:00 −03 → Sat 23:00 −04)', () => {
    // Appointment Sunday 10:00 −04 = 14:00Z. The day before at 10:00 is −03 = 13:00Z: 25 elapsed hours.
    expect(plan('2024-04-07T10:00', '2024-04-01T10:00', { zone: 'America/Santiago' })).toEqual({
      '24h': '2024-04-06T13:00:00.000Z',
      '2h': '2024-04-07T12:00:00.000Z', // 08:00 −04
    });
  });

  it('America/Santiago: the hour that does not exist and the hour that happens twice', () => {
    // 01:30 −03 (04:30Z) on the spring day: 2 h earlier is 22:30 −04 on Saturday, quiet → 20:59 −04 = 00:59Z.
    expect(plan('2024-09-08T01:30', '2024-09-01T10:00', { zone: 'America/Santiago' })['2h']).toBe(
      '2024-09-08T00:59:00.000Z',
    );
    // Without quiet hours, 2 h before 00:30 −04 (04:30Z) on the fall day is 02:30Z, the first 23:30 (−03).
    expect(
      plan('2024-04-07T00:30', '2024-04-01T10:00', { zone: 'America/Santiago', site: { quietHours: null } })['2h'],
    ).toBe('2024-04-07T02:30:00.000Z');
  });

  it('America/Mexico_City, spring forward 2022 (Sun 2022-04-03 02:00 CST → 03:00 CDT)', () => {
    // Appointment Sunday 09:00 CDT (−05) = 14:00Z; Saturday 09:00 CST (−06) = 15:00Z.
    expect(plan('2022-04-03T09:00', '2022-03-25T10:00', { zone: 'America/Mexico_City' })).toEqual({
      '24h': '2022-04-02T15:00:00.000Z',
      '2h': '2022-04-03T12:00:00.000Z', // 07:00 CDT, the first allowed minute
    });
  });

  it('America/Mexico_City, fall back 2022 (Sun 2022-10-30 02:00 CDT → 01:00 CST)', () => {
    // Appointment Sunday 09:00 CST (−06) = 15:00Z; Saturday 09:00 CDT (−05) = 14:00Z.
    expect(plan('2022-10-30T09:00', '2022-10-20T10:00', { zone: 'America/Mexico_City' })).toEqual({
      '24h': '2022-10-29T14:00:00.000Z',
      '2h': '2022-10-30T13:00:00.000Z',
    });
  });

  it('America/Mexico_City after DST was abolished (2023): plain 24 h', () => {
    expect(plan('2023-04-02T09:00', '2023-03-25T10:00', { zone: 'America/Mexico_City' })).toEqual({
      '24h': '2023-04-01T15:00:00.000Z',
      '2h': '2023-04-02T13:00:00.000Z',
    });
  });

  it('quiet-hour arithmetic stays on the local clock across the change', () => {
    const zone = 'America/Santiago';
    // 23:30 −04 on Saturday 2024-09-07 (03:30Z Sep 8) is quiet: it ends at 07:00 −03 on Sunday = 10:00Z.
    expect(utc(afterQuietHours(Date.UTC(2024, 8, 8, 3, 30), zone, DEFAULT_QUIET_HOURS))).toBe('2024-09-08T10:00:00.000Z');
    // 05:00 −03 on Sunday (08:00Z) is quiet: it began at 21:00 −04 on Saturday → 20:59 −04 = 00:59Z.
    expect(utc(beforeQuietHours(Date.UTC(2024, 8, 8, 8, 0), zone, DEFAULT_QUIET_HOURS))).toBe('2024-09-08T00:59:00.000Z');
  });

  it('formats the local date and time in Spanish and English', () => {
    const ms = Date.UTC(2024, 8, 8, 13, 0);
    expect(formatLocalWhen(ms, 'America/Santiago', 'es')).toBe('domingo 8 de septiembre a las 10:00');
    expect(formatLocalWhen(ms, 'America/Santiago', 'en')).toBe('Sunday, September 8 at 10:00');
  });
});
