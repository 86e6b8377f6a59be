import { describe, expect, it } from 'vitest';
import { applyReplyIntent } from '../../src/main/core/scheduler/reply-intent';
import { lateReminderGate } from '../../src/main/core/scheduler/late-gate';
import { replanRescheduled } from '../../src/main/core/scheduler/reschedule';
import {
  boardAppointmentIds,
  confirmationCounts,
  latestRepliesOf,
  moveAppointment,
  patientAppointmentsNear,
  professionalSlotTaken,
  type SiteWindow,
} from '../../src/main/core/store/appointment-board-repo';
import { upsertAppointment } from '../../src/main/core/store/appointments-repo';
import { dispatchRowOf, updateMessageState } from '../../src/main/core/store/messages-repo';
import { markReplyAttended } from '../../src/main/core/store/reminders-repo';
import { clinic, type Clinic } from './clinic';

// Rescheduling by a person and the day the front desk works, on a real SQLite file with a clock the test sets.

const reschedule = (c: Clinic, id: number, to: number): number => {
  const old = c.db.prepare('SELECT starts_at FROM appointments WHERE id = ?').pluck().get(id) as number;
  return c.db.transaction(() => {
    moveAppointment(c.db, id, to, c.now());
    return replanRescheduled(
      { db: c.db, outbox: c.outbox, planner: c.planner, language: () => 'es' },
      { id, oldStartsAt: old, newStartsAt: to, timeZone: c.zone },
    );
  })();
};

const reminders = (c: Clinic, id: number) =>
  c.db
    .prepare(
      `SELECT r.rule_key AS ruleKey, r.announces_starts_at AS announces, m.state, m.not_before AS notBefore,
        m.last_error_code AS code, m.last_error_reason AS reason, m.body
       FROM reminders r JOIN messages m ON m.id = r.message_id WHERE r.appointment_id = ? ORDER BY m.id`,
    )
    .all(id) as { ruleKey: string; announces: number; state: string; notBefore: number; code: string | null; reason: string | null; body: string }[];

describe('rescheduling an appointment', () => {
  it('cancels the queued reminders for the old time with the reason and plans new ones for the new time', () => {
    const c = clinic({ now: '2030-03-02T10:00' });
    const patient = c.patient({ firstNames: 'Rosa' });
    const apt = c.book({ key: 'desk:1', patientId: patient, startsAt: c.local('2030-03-05T09:00') });
    expect(reminders(c, apt).map((r) => `${r.ruleKey}:${r.state}`)).toEqual(['24h:queued', '2h:queued']);

    const withdrawn = reschedule(c, apt, c.local('2030-03-06T16:30'));
    expect(withdrawn).toBe(2);
    const rows = reminders(c, apt);
    const old = rows.filter((r) => r.announces === c.local('2030-03-05T09:00'));
    expect(old.map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
    expect(old[0]?.code).toBe('reminder.rescheduled');
    expect(old[0]?.reason).toContain('La cita se reprogramó');
    const fresh = rows.filter((r) => r.announces === c.local('2030-03-06T16:30'));
    expect(fresh.map((r) => `${r.ruleKey}:${r.state}`)).toEqual(['24h:queued', '2h:queued']);
    expect(fresh.map((r) => r.notBefore)).toEqual([c.local('2030-03-05T16:30'), c.local('2030-03-06T14:30')]);
    expect(fresh[0]?.body).toContain('16:30');
    expect(fresh[0]?.body).not.toContain('09:00');
  });

  it('a reminder for the old time never leaves: the dispatch gate stops one that came back to the queue', () => {
    const c = clinic({ now: '2030-03-04T08:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'desk:2', patientId: patient, startsAt: c.local('2030-03-05T09:00') });
    const [first] = reminders(c, apt);
    expect(first?.state).toBe('queued');
    const id = c.db.prepare('SELECT message_id FROM reminders WHERE appointment_id = ? ORDER BY message_id').pluck().get(apt) as number;
    // Taken by the dispatcher just before the reschedule: the planner cannot touch it.
    updateMessageState(c.db, id, { from: 'queued', to: 'sending', at: c.now(), implied: [] });
    reschedule(c, apt, c.local('2030-03-07T11:00'));
    // A transient failure puts it back in the queue, still announcing 09:00 on the 5th.
    updateMessageState(c.db, id, { from: 'sending', to: 'queued', at: c.now(), implied: [] });
    const gate = lateReminderGate({ db: c.db, language: () => 'es' });
    const row = dispatchRowOf(c.db, id);
    if (!row) throw new Error('no row');
    const verdict = gate(row, c.now());
    expect(verdict.go).toBe(false);
    expect(verdict).toMatchObject({ cancel: { code: 'reminder.rescheduled' } });
    if (!verdict.go && 'cancel' in verdict) expect(verdict.cancel.reason).toContain('hora anterior');
    // The reminders for the new time are not held back by it.
    const fresh = c.db
      .prepare(`SELECT message_id FROM reminders WHERE appointment_id = ? AND announces_starts_at = ? ORDER BY message_id`)
      .pluck()
      .all(apt, c.local('2030-03-07T11:00')) as number[];
    expect(fresh.length).toBe(2);
    for (const m of fresh) {
      const r = dispatchRowOf(c.db, m);
      if (r) expect(gate(r, c.now()).go).toBe(true);
    }
  });
});

describe('the day the front desk works', () => {
  it('counts confirmed, no answer, change requested and failed reminders in one query, and lists each chip', () => {
    const c = clinic({ now: '2030-03-03T10:00' });
    const day = (hhmm: string) => c.local(`2030-03-04T${hhmm}`);
    const [ana, luis, rosa, eva, omar] = ['Ana', 'Luis', 'Rosa', 'Eva', 'Omar'].map((n, i) =>
      c.patient({ firstNames: n, phone: `+5198765430${i}` }),
    ) as [number, number, number, number, number];
    const confirmed = c.book({ key: 'd:1', patientId: ana, startsAt: day('09:00') });
    const change = c.book({ key: 'd:2', patientId: luis, startsAt: day('10:00') });
    const silent = c.book({ key: 'd:3', patientId: rosa, startsAt: day('11:00') });
    const failed = c.book({ key: 'd:4', patientId: eva, startsAt: day('12:00') });
    const cancelled = c.book({ key: 'd:5', patientId: omar, startsAt: day('13:00'), status: 'cancelled' });
    c.book({ key: 'other-day', patientId: omar, startsAt: c.local('2030-03-05T09:00') });

    const options = { db: c.db, outbox: c.outbox, planner: c.planner, now: c.now, language: () => 'es' as const };
    let n = 0;
    const reply = (apt: number, phone: string, body: string, payload: string) => {
      const replyId = c.outbox.recordReply({ providerMessageId: `wamid.in.${++n}`, fromPhone: phone, body, at: c.now(), payload });
      if (replyId === null) throw new Error('duplicate');
      return { replyId, result: applyReplyIntent(options, { replyId, messageId: null, fromPhone: phone, body, payload }) };
    };
    expect(reply(confirmed, '+51987654300', 'Confirmar', `CONFIRM:${confirmed}`).result.outcome).toBe('applied');
    const asked = reply(change, '+51987654301', 'Reprogramar', `RESCHEDULE:${change}`);
    expect(asked.result.outcome).toBe('attention');
    const failedId = c.db.prepare('SELECT message_id FROM reminders WHERE appointment_id = ? ORDER BY message_id').pluck().get(failed) as number;
    updateMessageState(c.db, failedId, { from: 'queued', to: 'failed', at: c.now(), implied: [], errorCode: '131026', errorReason: 'No tiene WhatsApp' });

    const windows: SiteWindow[] = [{ siteId: c.siteId, from: day('00:00'), to: c.local('2030-03-05T00:00') }];
    expect(confirmationCounts(c.db, windows)).toEqual({
      all: 5,
      confirmed: 1,
      no_answer: 2, // silent and failed: the cancelled one asks nothing
      change_requested: 1,
      reminder_failed: 1,
    });
    expect(boardAppointmentIds(c.db, windows)).toEqual([confirmed, change, silent, failed, cancelled]);
    expect(boardAppointmentIds(c.db, windows, 'confirmed')).toEqual([confirmed]);
    expect(boardAppointmentIds(c.db, windows, 'change_requested')).toEqual([change]);
    expect(boardAppointmentIds(c.db, windows, 'no_answer')).toEqual([silent, failed]);
    expect(boardAppointmentIds(c.db, windows, 'reminder_failed')).toEqual([failed]);
    expect(latestRepliesOf(c.db, [change])).toEqual([expect.objectContaining({ intent: 'reschedule', open: true, body: 'Reprogramar' })]);

    // Rescheduled: a "yes" for the old time no longer counts; the request to change is done once attended.
    c.setNow(c.now() + 60_000);
    reschedule(c, confirmed, c.local('2030-03-04T15:00'));
    markReplyAttended(c.db, asked.replyId, 'Recepción', c.now());
    expect(confirmationCounts(c.db, windows)).toMatchObject({ confirmed: 0, change_requested: 0, no_answer: 4 });
    expect(latestRepliesOf(c.db, [confirmed])).toEqual([]);
  });

  it('finds the same patient within the hour at any site, but not a cancelled appointment or the one being moved', () => {
    const c = clinic({ now: '2030-03-03T10:00' });
    const p = c.patient();
    const a = c.book({ key: 'o:1', patientId: p, startsAt: c.local('2030-03-04T09:00') });
    c.book({ key: 'o:2', patientId: p, startsAt: c.local('2030-03-04T11:00'), status: 'cancelled' });
    const near = (hhmm: string, excludeId: number | null = null) =>
      patientAppointmentsNear(c.db, { patientId: p, startsAt: c.local(`2030-03-04T${hhmm}`), withinMs: 3_600_000, excludeId }).map((x) => x.id);
    expect(near('09:30')).toEqual([a]);
    expect(near('08:01')).toEqual([a]);
    expect(near('10:00')).toEqual([]);
    expect(near('11:00')).toEqual([]);
    expect(near('09:30', a)).toEqual([]);
  });

  it("finds another patient in the same professional's slot at the site, when the source names the professional", () => {
    const c = clinic({ now: '2030-03-03T10:00' });
    const at = c.local('2030-03-04T09:00');
    const withDoctor = (key: string, patientId: number, startsAt: number, status: 'booked' | 'cancelled' = 'booked') =>
      upsertAppointment(
        c.db,
        { siteId: c.siteId, serviceId: c.serviceId, patientId, startsAt, status, source: 'hl7', sourceKey: key, professional: 'Dra. Salas' },
        c.now(),
      );
    const [a, b, d] = [c.patient(), c.patient(), c.patient()] as [number, number, number];
    const taken = withDoctor('p:1', a, at);
    withDoctor('p:2', d, at, 'cancelled');
    const slot = (professional: string, patientId: number, startsAt = at) =>
      professionalSlotTaken(c.db, { professional, siteId: c.siteId, startsAt, excludeId: null, patientId }).map((x) => x.id);
    expect(slot('Dra. Salas', b)).toEqual([taken]);
    expect(slot('Dr. Ríos', b)).toEqual([]);
    expect(slot('Dra. Salas', b, c.local('2030-03-04T09:30'))).toEqual([]);
    expect(slot('Dra. Salas', a)).toEqual([]); // the patient's own appointment is the patient check's business
  });
});
