import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/core/audit/audit-log';
import { dueMessageIds } from '../../src/main/core/store/messages-repo';
import { deleteReminderRule, insertReminderRule, listReminderRules, updateReminderRule } from '../../src/main/core/store/reminder-rules-repo';
import { listPlanningIssues, recordAppointmentAnswer } from '../../src/main/core/store/reminders-repo';
import { clinic, iso, markSent, type Clinic } from './clinic';

const count = (c: Clinic, sql: string, ...args: unknown[]): number =>
  (c.db.prepare(sql).get(...args) as { n: number }).n;

function events(c: Clinic, messageId: number): { state: string; detail: string | null }[] {
  return c.db.prepare('SELECT state, detail FROM message_events WHERE message_id = ? ORDER BY id').all(messageId) as {
    state: string;
    detail: string | null;
  }[];
}

describe('planning reminders into the outbox', () => {
  it('writes one row per (appointment, rule) with its key, moment, Spanish text and buttons', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'his:1', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    const rows = c.messages(apt);
    expect(rows.map((m) => [m.idempotencyKey, m.kind, m.priority, m.state, iso(m.notBefore)])).toEqual([
      [`reminder:${apt}:24h`, 'reminder', 1, 'queued', '2025-11-30T14:30:00.000Z'],
      [`reminder:${apt}:2h`, 'reminder', 1, 'queued', '2025-12-01T12:30:00.000Z'],
    ]);
    const [first] = rows;
    expect(first?.body).toBe(
      'Hola Ana María, le recordamos su cita de Cardiología en Sede Miraflores el lunes 1 de diciembre a las 09:30. ' +
        'Responda 1 para confirmar, 2 para cancelar o 3 para reprogramar.',
    );
    expect(JSON.parse(first?.templateParams ?? '')).toEqual([
      'Ana María',
      'Cardiología',
      'Sede Miraflores',
      'lunes 1 de diciembre a las 09:30',
    ]);
    expect(JSON.parse(first?.buttons ?? '')).toEqual([
      { id: `CONFIRM:${apt}`, title: 'Confirmar' },
      { id: `RESCHEDULE:${apt}`, title: 'Reprogramar' },
      { id: `CANCEL:${apt}`, title: 'Cancelar' },
    ]);
    expect(first?.toPhone).toBe('+51987654321');
    expect(first?.templateName).toBe('recordatorio_cita');
  });

  it('a plan enters the outbox as one batch: each row with its queued event, one audit entry naming the new ids', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const first = c.book({ key: 'his:b1', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    const second = c.book({ key: 'his:b2', patientId: patient, startsAt: c.local('2025-12-01T11:00') });
    c.db.prepare(`DELETE FROM planning_issues`).run();
    const before = count(c, `SELECT COUNT(*) AS n FROM audit_events`);
    c.db.prepare(`DELETE FROM reminders`).run();
    c.db.prepare(`DELETE FROM message_events`).run();
    c.db.prepare(`DELETE FROM messages`).run();
    c.planner.planUpcoming();
    const ids = [...c.messages(first), ...c.messages(second)].map((m) => m.id).sort((a, b) => a - b);
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(events(c, id)).toEqual([{ state: 'queued', detail: null }]);
    const audit = c.db
      .prepare(`SELECT action, data FROM audit_events WHERE id > (SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET ?)`)
      .all(before - 1) as { action: string; data: string }[];
    expect(audit.map((a) => a.action)).toEqual(['reminders.planned']);
    expect(JSON.parse(audit[0]?.data ?? '{}')).toMatchObject({ created: 4, firstMessageId: ids[0], lastMessageId: ids[3] });
    expect(verifyAudit(c.db).ok).toBe(true);
  });

  it('booked 3 h ahead: only the 2 h reminder, and the 24 h one is explained', () => {
    const c = clinic({ now: '2025-12-01T12:00' });
    const apt = c.book({ key: 'his:2', patientId: c.patient(), startsAt: c.local('2025-12-01T15:00') });
    expect(c.messages(apt).map((m) => m.idempotencyKey)).toEqual([`reminder:${apt}:2h`]);
    const issues = listPlanningIssues(c.db, { from: 0, limit: 10 });
    expect(issues).toEqual([
      expect.objectContaining({ appointmentId: apt, ruleKey: '24h', code: 'too_close_to_booking', severity: 'info' }),
    ]);
  });
});

describe('idempotency when the same source row is read again', () => {
  it('creates no duplicate rows', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const startsAt = c.local('2025-12-01T09:30');
    const apt = c.book({ key: 'his:3', patientId: patient, startsAt });
    for (let i = 0; i < 3; i++) expect(c.book({ key: 'his:3', patientId: patient, startsAt })).toBe(apt);
    c.planner.planUpcoming();
    expect(count(c, 'SELECT COUNT(*) AS n FROM messages')).toBe(2);
    expect(count(c, 'SELECT COUNT(*) AS n FROM reminders')).toBe(2);
  });

  it('never re-sends a reminder that already went, however often the row is read', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const startsAt = c.local('2025-12-01T09:30');
    const apt = c.book({ key: 'his:4', patientId: patient, startsAt });
    const [day] = c.messages(apt);
    c.setNow(c.local('2025-11-30T09:30'));
    markSent(c, day?.id ?? 0);
    for (let hour = 0; hour < 5; hour++) {
      c.setNow(c.local('2025-11-30T10:00') + hour * 3_600_000);
      c.book({ key: 'his:4', patientId: patient, startsAt });
      c.planner.advance();
    }
    const rows = c.messages(apt);
    expect(rows.map((m) => [m.idempotencyKey, m.state])).toEqual([
      [`reminder:${apt}:24h`, 'sent'],
      [`reminder:${apt}:2h`, 'queued'],
    ]);
    expect(dueMessageIds(c.db, c.now(), 10)).toEqual([]);
  });
});

describe('re-planning after a change', () => {
  it('rescheduling moves the queued reminders and their text', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'his:5', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    const before = c.messages(apt);
    c.setNow(c.local('2025-11-26T10:00'));
    c.book({ key: 'his:5', patientId: patient, startsAt: c.local('2025-12-03T16:00') });
    const after = c.messages(apt);
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    expect(after.map((m) => [m.state, iso(m.notBefore)])).toEqual([
      ['queued', '2025-12-02T21:00:00.000Z'],
      ['queued', '2025-12-03T19:00:00.000Z'],
    ]);
    expect(after[0]?.body).toContain('el miércoles 3 de diciembre a las 16:00');
    expect(JSON.parse(after[0]?.templateParams ?? '[]')[3]).toBe('miércoles 3 de diciembre a las 16:00');
    expect(events(c, after[0]?.id ?? 0).at(-1)?.detail).toContain('La cita cambió');
  });

  it('rescheduling after the 24 h reminder went plans a new one for the new time', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'his:6', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    c.setNow(c.local('2025-11-30T09:30'));
    markSent(c, c.messages(apt)[0]?.id ?? 0);
    c.setNow(c.local('2025-11-30T12:00'));
    c.book({ key: 'his:6', patientId: patient, startsAt: c.local('2025-12-05T09:30') });
    c.book({ key: 'his:6', patientId: patient, startsAt: c.local('2025-12-05T09:30') }); // read again
    expect(c.messages(apt).map((m) => [m.idempotencyKey, m.state, iso(m.notBefore)])).toEqual([
      [`reminder:${apt}:24h`, 'sent', '2025-11-30T14:30:00.000Z'],
      [`reminder:${apt}:2h`, 'queued', '2025-12-05T12:30:00.000Z'],
      [`reminder:${apt}:24h:2`, 'queued', '2025-12-04T14:30:00.000Z'],
    ]);
  });

  it('moved closer so that a reminder is already past: it is withdrawn, not sent late', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'his:7', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    c.setNow(c.local('2025-11-27T15:00'));
    c.book({ key: 'his:7', patientId: patient, startsAt: c.local('2025-11-28T09:00') });
    expect(c.messages(apt).map((m) => [m.idempotencyKey, m.state, m.lastErrorCode])).toEqual([
      [`reminder:${apt}:24h`, 'cancelled', 'reminder.too_close_to_booking'],
      [`reminder:${apt}:2h`, 'queued', null],
    ]);
  });

  it('cancelling withdraws the queued reminders with a reason, and nothing is ever sent for it', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const startsAt = c.local('2025-12-01T09:30');
    const apt = c.book({ key: 'his:8', patientId: patient, startsAt });
    c.book({ key: 'his:8', patientId: patient, startsAt, status: 'cancelled' });
    const rows = c.messages(apt);
    expect(rows.map((m) => [m.state, m.lastErrorCode, m.lastErrorReason])).toEqual([
      ['cancelled', 'reminder.appointment_cancelled', 'La cita fue cancelada.'],
      ['cancelled', 'reminder.appointment_cancelled', 'La cita fue cancelada.'],
    ]);
    c.setNow(c.local('2025-12-01T09:00'));
    c.book({ key: 'his:8', patientId: patient, startsAt, status: 'cancelled' });
    c.planner.planUpcoming();
    expect(dueMessageIds(c.db, c.now(), 10)).toEqual([]);
    expect(count(c, 'SELECT COUNT(*) AS n FROM messages')).toBe(2);
  });

  it('an appointment the patient cancelled stays without reminders when the source still says booked', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const startsAt = c.local('2025-12-01T09:30');
    const apt = c.book({ key: 'his:9', patientId: patient, startsAt });
    recordAppointmentAnswer(c.db, { appointmentId: apt, answer: 'cancelled', startsAt, replyId: null, at: c.now() });
    c.book({ key: 'his:9', patientId: patient, startsAt, status: 'booked' });
    expect(c.messages(apt).map((m) => m.lastErrorCode)).toEqual([
      'reminder.patient_cancelled',
      'reminder.patient_cancelled',
    ]);
    // The clinic gives a new time: the answer no longer applies and reminders come back.
    c.book({ key: 'his:9', patientId: patient, startsAt: c.local('2025-11-29T10:00') });
    expect(c.messages(apt).filter((m) => m.state === 'queued').map((m) => m.idempotencyKey)).toEqual([
      `reminder:${apt}:24h:2`,
      `reminder:${apt}:2h:2`,
    ]);
  });

  it('a removed rule withdraws its queued reminders; a disabled override switches one off for a service', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const a = c.book({ key: 'his:10', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    const twoHours = listReminderRules(c.db).find((r) => r.ruleKey === '2h');
    deleteReminderRule(c.db, twoHours?.id ?? 0);
    insertReminderRule(
      c.db,
      { ruleKey: '24h', siteId: null, serviceId: c.serviceId, leadMinutes: 1440, templateName: 'x', enabled: false },
      c.now(),
    );
    c.planner.planUpcoming();
    expect(c.messages(a).map((m) => [m.idempotencyKey, m.state, m.lastErrorCode])).toEqual([
      [`reminder:${a}:24h`, 'cancelled', 'reminder.rule_removed'],
      [`reminder:${a}:2h`, 'cancelled', 'reminder.rule_removed'],
    ]);
  });

  it('a rule changed between two bookings applies to the next one, even within the same millisecond', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const patient = c.patient();
    const first = c.book({ key: 'his:cfg1', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
    const day = listReminderRules(c.db).find((r) => r.ruleKey === '24h' && r.siteId === null && r.serviceId === null);
    // Same clock reading as the booking before: only the contents tell the planner its rules changed.
    updateReminderRule(c.db, day?.id ?? 0, { templateName: 'recordatorio_nuevo' }, c.now());
    const second = c.book({ key: 'his:cfg2', patientId: patient, startsAt: c.local('2025-12-01T11:00') });
    expect(c.messages(first).map((m) => m.templateName)).toEqual(['recordatorio_cita', 'recordatorio_cita']);
    expect(c.messages(second).map((m) => m.templateName)).toEqual(['recordatorio_nuevo', 'recordatorio_cita']);
    updateReminderRule(c.db, day?.id ?? 0, { enabled: false }, c.now());
    c.book({ key: 'his:cfg2', patientId: patient, startsAt: c.local('2025-12-01T11:30') });
    expect(c.messages(second).map((m) => [m.idempotencyKey.split(':').at(-1), m.state])).toEqual([
      ['24h', 'cancelled'],
      ['2h', 'queued'],
    ]);
  });

  it('changing a rule after its moment passed does not send a burst of late reminders', () => {
    const c = clinic({ now: '2025-11-20T10:00' });
    const patient = c.patient();
    const apt = c.book({ key: 'his:11', patientId: patient, startsAt: c.local('2025-11-27T10:00') });
    // Now 48 h ahead would have been Tuesday 10:00, already past on Wednesday when the rule changes.
    c.setNow(c.local('2025-11-26T09:00'));
    const day = listReminderRules(c.db).find((r) => r.ruleKey === '24h');
    updateReminderRule(c.db, day?.id ?? 0, { leadMinutes: 48 * 60 }, c.now());
    c.planner.planUpcoming();
    expect(c.messages(apt).map((m) => [m.idempotencyKey, m.state, m.lastErrorCode])).toEqual([
      [`reminder:${apt}:24h`, 'cancelled', 'reminder.too_late'],
      [`reminder:${apt}:2h`, 'queued', null],
    ]);
  });
});

describe('patients who cannot receive reminders', () => {
  it('no phone or no consent: no message, and a visible reason that goes once it is fixed', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const noPhone = c.patient({ phone: null });
    const noConsent = c.patient({ consent: 'unknown', phone: '+51911111111' });
    const a = c.book({ key: 'his:12', patientId: noPhone, startsAt: c.local('2025-12-01T09:30') });
    const b = c.book({ key: 'his:13', patientId: noConsent, startsAt: c.local('2025-12-01T10:30') });
    expect(count(c, 'SELECT COUNT(*) AS n FROM messages')).toBe(0);
    expect(listPlanningIssues(c.db, { from: c.now(), severity: 'problem', limit: 10 })).toEqual([
      expect.objectContaining({ appointmentId: a, ruleKey: '*', code: 'no_phone' }),
      expect.objectContaining({ appointmentId: b, ruleKey: '*', code: 'no_consent' }),
    ]);
    c.db.prepare(`UPDATE patients SET consent_status = 'opted_in', consent_at = ? WHERE id = ?`).run(c.now(), noConsent);
    const summary = c.planner.planPatient(noConsent);
    expect(summary.created).toBe(2);
    expect(listPlanningIssues(c.db, { from: c.now(), limit: 10 }).map((i) => i.appointmentId)).toEqual([a]);
  });
});

describe('the planning horizon', () => {
  it('writes far reminders only when they come near, without losing them', () => {
    const c = clinic({ now: '2025-11-01T10:00', plannerOptions: { horizonMs: 3 * 86_400_000 } });
    const apt = c.book({ key: 'his:14', patientId: c.patient(), startsAt: c.local('2025-12-01T09:30') });
    expect(c.messages(apt)).toEqual([]);
    c.setNow(c.local('2025-11-27T10:00'));
    expect(c.planner.advance().created).toBe(1);
    expect(c.messages(apt).map((m) => iso(m.notBefore))).toEqual(['2025-11-30T14:30:00.000Z']);
    c.setNow(c.local('2025-11-28T10:00'));
    expect(c.planner.advance().created).toBe(1);
    expect(c.planner.advance().created).toBe(0);
    expect(c.messages(apt).map((m) => iso(m.notBefore))).toEqual([
      '2025-11-30T14:30:00.000Z',
      '2025-12-01T12:30:00.000Z',
    ]);
  });
});

describe('time zones end to end', () => {
  it('stores UTC instants computed in the site zone across the Santiago DST change, and shows local time', () => {
    const c = clinic({ zone: 'America/Santiago', now: '2024-09-01T10:00' });
    const apt = c.book({ key: 'his:15', patientId: c.patient(), startsAt: c.local('2024-09-08T10:00') });
    const rows = c.messages(apt);
    // Sunday 10:00 −03 after the change; Saturday 10:00 was still −04.
    expect(rows.map((m) => iso(m.notBefore))).toEqual(['2024-09-07T14:00:00.000Z', '2024-09-08T11:00:00.000Z']);
    expect(rows[0]?.body).toContain('el domingo 8 de septiembre a las 10:00');
  });

  it('writes English text for an English-speaking patient, with the template parameters in the template language', () => {
    const c = clinic({ now: '2025-11-25T10:00' });
    const apt = c.book({
      key: 'his:16',
      patientId: c.patient({ language: 'en', firstNames: 'John' }),
      startsAt: c.local('2025-12-01T09:30'),
    });
    const [first] = c.messages(apt);
    expect(first?.body).toBe(
      'Hello John, this is a reminder of your Cardiología appointment at Sede Miraflores on Monday, December 1 at 09:30. ' +
        'Reply 1 to confirm, 2 to cancel or 3 to reschedule.',
    );
    expect(JSON.parse(first?.buttons ?? '[]')[0]).toEqual({ id: `CONFIRM:${apt}`, title: 'Confirm' });
    expect(JSON.parse(first?.templateParams ?? '[]')[3]).toBe('lunes 1 de diciembre a las 09:30');
  });
});
