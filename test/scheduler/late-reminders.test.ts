import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/main/core/channels/channel';
import { allGates, createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { lateReminderGate } from '../../src/main/core/scheduler/late-gate';
import { quietHoursGate } from '../../src/main/core/scheduler/quiet-gate';
import { insertService } from '../../src/main/core/store/clinic-repo';
import { dueMessageIds } from '../../src/main/core/store/messages-repo';
import { insertReminderRule, listReminderRules, updateReminderRule } from '../../src/main/core/store/reminder-rules-repo';
import { clinic, type Clinic } from './clinic';

const MINUTE = 60_000;
const MIN_BEFORE = 60; // the default "Envío atrasado: mínimo antes de la cita"

/** The real dispatcher with the gates the app puts in front of it, at the clinic's fixed clock. */
async function dispatch(c: Clinic): Promise<{ id: number; at: number }[]> {
  const sent: { id: number; at: number }[] = [];
  const channel: Channel = {
    id: 'demo',
    send: async (m) => {
      sent.push({ id: m.id, at: c.now() });
      return { ok: true, providerId: `wamid.${m.id}` };
    },
    close: () => undefined,
  };
  const dispatcher = createDispatcher({
    db: c.db,
    outbox: c.outbox,
    ...throughOneChannel(() => channel),
    isPaused: () => false,
    now: c.now,
    maxPerSecond: () => 0,
    dailyCap: () => 0,
    dayOf: (at) => new Date(at).toISOString().slice(0, 10),
    nextDayStart: (at) => at + 86_400_000,
    maxInFlight: 4,
    maxAttempts: 3,
    backoffMs: () => 1000,
    onAccountProblem: () => undefined,
    gate: allGates(lateReminderGate({ db: c.db, language: () => 'es' }), quietHoursGate({ db: c.db, language: () => 'es' })),
  });
  dispatcher.wake();
  const start = Date.now();
  const busy = () =>
    dueMessageIds(c.db, c.now(), 1).length > 0 ||
    (c.db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE state = 'sending'`).get() as { n: number }).n > 0;
  while (busy() && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
  await dispatcher.stop();
  return sent;
}

/**
 * Three services, each with one reminder rule (2 h, 65 min, 5 min before), and one appointment of each whose reminder
 * is due at the same moment: 15:00 in Lima, outside quiet hours.
 */
function threeReminders() {
  const c = clinic({ now: '2026-03-10T08:00' });
  for (const rule of listReminderRules(c.db)) updateReminderRule(c.db, rule.id, { enabled: false }, 0);
  const due = c.local('2026-03-10T15:00');
  const leads = { '2h': 120, '65m': 65, '5m': 5 } as const;
  const apts = Object.entries(leads).map(([key, lead]) => {
    const service = insertService(c.db, `Servicio ${key}`, 0);
    insertReminderRule(c.db, { ruleKey: key, siteId: null, serviceId: service.id, leadMinutes: lead, templateName: 'recordatorio' }, 0);
    const startsAt = due + lead * MINUTE;
    const id = c.book({ key: `his:${key}`, patientId: c.patient(), startsAt, serviceId: service.id });
    return { key, lead, startsAt, id };
  });
  return { c, due, apts };
}

type Recovery = 'restart' | 'channel back';

/** Avisa could not send from 14:00 until `lateness` minutes after the reminders were due; then it sends again. */
async function outage(lateness: number, recovery: Recovery) {
  const s = threeReminders();
  s.c.setNow(s.due + lateness * MINUTE);
  // A restart plans and catches up before sending; a channel coming back only wakes the dispatcher.
  if (recovery === 'restart') s.c.planner.planUpcoming();
  const sent = await dispatch(s.c);
  return { ...s, sent };
}

describe('a reminder that comes due late, by any amount', () => {
  for (const recovery of ['restart', 'channel back'] as const) {
    it(`after an outage of 0–15 minutes past its moment (${recovery}): never after the start, never closer than the minimum`, async () => {
      for (let lateness = 0; lateness <= 15; lateness++) {
        const { c, due, apts, sent } = await outage(lateness, recovery);
        const sentAt = new Map(sent.map((s) => [s.id, s.at]));
        for (const apt of apts) {
          const [message] = c.messages(apt.id);
          if (!message) throw new Error(`no reminder for ${apt.key}`);
          const at = sentAt.get(message.id);
          const where = `${apt.key} reminder, ${lateness} min late (${recovery})`;
          if (at !== undefined) {
            expect(at, where).toBeLessThan(apt.startsAt);
            if (lateness > 0) expect(apt.startsAt - at, where).toBeGreaterThanOrEqual(MIN_BEFORE * MINUTE);
          }
          // What the rule says each one gets.
          const remaining = apt.startsAt - (due + lateness * MINUTE);
          const expected =
            lateness === 0 ? 'sent' : remaining >= MIN_BEFORE * MINUTE ? 'sent' : 'expired';
          expect(message.state, where).toBe(expected);
          if (expected === 'expired') {
            expect(message.lastErrorCode, where).toBe(remaining <= 0 ? 'reminder.appointment_passed' : 'reminder.too_close');
            expect(message.lastErrorReason, where).toMatch(/Avisa estuvo apagado o sin conexión/);
          }
        }
      }
    });
  }

  it('the 5-minute reminder after a 7-minute outage expires instead of going out after the appointment began', async () => {
    const { c, apts, sent } = await outage(7, 'channel back');
    const five = apts.find((a) => a.key === '5m');
    expect(c.messages(five?.id)[0]).toMatchObject({ state: 'expired', lastErrorCode: 'reminder.appointment_passed' });
    expect(sent.every((s) => s.at < (five?.startsAt ?? 0) || s.id !== c.messages(five?.id)[0]?.id)).toBe(true);
  });

  it('one minute late is late: a reminder then less than the minimum ahead expires with the reason', async () => {
    const { c, apts } = await outage(1, 'restart');
    const close = apts.find((a) => a.key === '5m');
    expect(c.messages(close?.id)[0]).toMatchObject({
      state: 'expired',
      lastErrorCode: 'reminder.too_close',
      lastErrorReason: 'No se envió a tiempo porque Avisa estuvo apagado o sin conexión, y faltan menos de 60 min para la cita.',
    });
  });

  it('picked up within seconds of its moment, a short reminder is on time and keeps its lead', async () => {
    const s = threeReminders();
    s.c.setNow(s.due + 20_000);
    const sent = await dispatch(s.c);
    expect(sent).toHaveLength(3);
    expect(s.apts.map((a) => s.c.messages(a.id)[0]?.state)).toEqual(['sent', 'sent', 'sent']);
  });
});
