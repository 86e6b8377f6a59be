import { describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage } from '../../src/main/core/channels/channel';
import { createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { catchUpReminders } from '../../src/main/core/scheduler/catch-up';
import { dueMessageIds } from '../../src/main/core/store/messages-repo';
import { clinic, iso, type Clinic } from './clinic';

/** Runs the real dispatcher at the clinic's clock until nothing is due, and returns what went out. */
async function dispatch(c: Clinic): Promise<OutgoingMessage[]> {
  const sent: OutgoingMessage[] = [];
  const channel: Channel = {
    id: 'demo',
    send: async (m) => {
      sent.push(m);
      return { ok: true, providerId: `wamid.${m.id}.${sent.length}` };
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

/** The app was off from `from` until `until`: the clock jumps, and on start the scheduler plans and catches up. */
function offUntil(c: Clinic, until: string) {
  c.setNow(c.local(until));
  return c.planner.planUpcoming();
}

const states = (c: Clinic, apt: number) => c.messages(apt).map((m) => [m.idempotencyKey.split(':').slice(2).join(':'), m.state]);

describe('catch-up after downtime', () => {
  it('a reminder missed while off goes once, late, when the appointment is still far ahead', async () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({ key: 'his:1', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    // Off from Saturday evening until Sunday 17:30: the 24 h reminder (Sunday 15:00) was missed.
    offUntil(c, '2025-11-30T17:30');
    const [day, twoHours] = c.messages(apt);
    expect(day).toMatchObject({ state: 'queued', notBefore: c.now() });
    expect(twoHours).toMatchObject({ state: 'queued', notBefore: c.local('2025-12-01T13:00') });
    const note = c.db
      .prepare(`SELECT detail FROM message_events WHERE message_id = ? AND detail IS NOT NULL`)
      .get(day?.id ?? 0) as { detail: string };
    expect(note.detail).toContain('Sale con retraso');

    const first = await dispatch(c);
    expect(first.map((m) => m.id)).toEqual([day?.id]);
    // Started again, read the source again, judged again: nothing goes twice.
    c.setNow(c.local('2025-11-30T18:30'));
    const patientId = c.db.prepare('SELECT patient_id FROM appointments WHERE id = ?').pluck().get(apt) as number;
    c.book({ key: 'his:1', patientId, startsAt: c.local('2025-12-01T15:00') });
    c.planner.planUpcoming();
    catchUpReminders({ db: c.db, outbox: c.outbox, now: c.now, language: () => 'es' });
    expect(await dispatch(c)).toEqual([]);
    expect(states(c, apt)).toEqual([
      ['24h', 'sent'],
      ['2h', 'queued'],
    ]);
  });

  it('after a long gap: at most one reminder per appointment, the rest expired with a reason', async () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const soon = c.book({ key: 'his:soon', patientId: c.patient(), startsAt: c.local('2025-12-01T09:00') });
    const passed = c.book({ key: 'his:passed', patientId: c.patient(), startsAt: c.local('2025-11-30T10:00') });
    const later = c.book({ key: 'his:later', patientId: c.patient(), startsAt: c.local('2025-12-01T11:00') });
    const afternoon: number[] = [];
    for (let i = 0; i < 30; i++) {
      afternoon.push(c.book({ key: `his:pm:${i}`, patientId: c.patient(), startsAt: c.local('2025-12-01T16:00') }));
    }

    const summary = c.planner.planUpcoming();
    expect(summary.created).toBe(0);
    offUntil(c, '2025-12-01T08:30');

    // 30 min before the appointment: both reminders are stale and it is too close to send either.
    expect(c.messages(soon).map((m) => [m.state, m.lastErrorReason])).toEqual([
      ['expired', 'No se envió a tiempo porque Avisa estuvo apagado o sin conexión, y faltan menos de 60 min para la cita.'],
      ['expired', 'No se envió a tiempo porque Avisa estuvo apagado o sin conexión, y faltan menos de 60 min para la cita.'],
    ]);
    expect(c.messages(passed).map((m) => [m.state, m.lastErrorCode])).toEqual([
      ['expired', 'reminder.appointment_passed'],
      ['expired', 'reminder.appointment_passed'],
    ]);
    // The 24 h one is stale and the 2 h one goes at 09:00, within 2 h: only the 2 h one is sent.
    expect(states(c, later)).toEqual([
      ['24h', 'expired'],
      ['2h', 'queued'],
    ]);
    expect(c.messages(later)[0]?.lastErrorCode).toBe('reminder.superseded');

    const sent = await dispatch(c);
    expect(sent).toHaveLength(30);
    const perAppointment = new Map<string, number>();
    for (const m of sent) perAppointment.set(m.buttons[0]?.id ?? '', (perAppointment.get(m.buttons[0]?.id ?? '') ?? 0) + 1);
    expect([...perAppointment.values()].every((n) => n === 1)).toBe(true);
    expect(afternoon.every((apt) => c.messages(apt)[0]?.state === 'sent' && c.messages(apt)[1]?.state === 'queued')).toBe(true);
  });

  it('a late reminder found during quiet hours waits until they end', async () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({ key: 'his:2', patientId: c.patient(), startsAt: c.local('2025-12-01T18:00') });
    offUntil(c, '2025-11-30T23:00');
    expect(iso(c.messages(apt)[0]?.notBefore ?? 0)).toBe('2025-12-01T12:00:00.000Z'); // 07:00 in Lima
    expect(await dispatch(c)).toEqual([]);
  });

  it('a reminder that never became a row because the app was off longer than the horizon is still caught', () => {
    const c = clinic({ now: '2025-11-01T10:00', plannerOptions: { horizonMs: 3 * 86_400_000 } });
    const apt = c.book({ key: 'his:3', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    expect(c.messages(apt)).toEqual([]);
    offUntil(c, '2025-11-30T16:00');
    expect(c.messages(apt).map((m) => [m.idempotencyKey.split(':')[2], m.state, iso(m.notBefore)])).toEqual([
      ['24h', 'queued', iso(c.now())], // its moment (Sunday 15:00) passed while off: goes now, once
      ['2h', 'queued', '2025-12-01T18:00:00.000Z'],
    ]);
  });

  it('a due reminder of an appointment cancelled meanwhile is withdrawn, not sent', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({ key: 'his:4', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    // Another writer cancelled it without re-planning.
    c.db.prepare(`UPDATE appointments SET status = 'cancelled' WHERE id = ?`).run(apt);
    c.setNow(c.local('2025-11-30T15:01'));
    const summary = catchUpReminders({ db: c.db, outbox: c.outbox, now: c.now, language: () => 'es' });
    expect(summary.withdrawn).toBe(1);
    expect(c.messages(apt)[0]).toMatchObject({ state: 'cancelled', lastErrorReason: 'La cita fue cancelada.' });
  });

  it('leaves reminders that are on time alone', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({ key: 'his:5', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    c.setNow(c.local('2025-11-30T15:00') + 20_000);
    const summary = catchUpReminders({ db: c.db, outbox: c.outbox, now: c.now, language: () => 'es' });
    expect(summary).toEqual({ sendLate: 0, expired: 0, withdrawn: 0 });
    expect(c.messages(apt)[0]).toMatchObject({ state: 'queued', notBefore: c.local('2025-11-30T15:00') });
  });

  it('five minutes late is late: judged by the same rule, it goes once with the note', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({ key: 'his:6', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    c.setNow(c.local('2025-11-30T15:05'));
    const summary = catchUpReminders({ db: c.db, outbox: c.outbox, now: c.now, language: () => 'es' });
    expect(summary).toEqual({ sendLate: 1, expired: 0, withdrawn: 0 });
    expect(c.messages(apt)[0]).toMatchObject({ state: 'queued', notBefore: c.now() });
  });
});
