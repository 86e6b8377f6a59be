import { describe, expect, it } from 'vitest';
import { receiveAppointment } from '../../src/main/core/intake/appointments-intake';
import { applyReplyIntent } from '../../src/main/core/scheduler/reply-intent';
import type { SourceAppointment } from '../../src/main/core/sources/clinic-db/records';
import { setAppointmentSourceStatus } from '../../src/main/core/store/appointments-repo';
import { syncPanelClock } from '../../src/main/core/metrics/clinic-clock';
import { panelFilter, reminderFigures } from '../../src/main/core/metrics/panel';
import { attendanceRecords } from '../../src/main/core/store/attendance-repo';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { insertReply } from '../../src/main/core/store/messages-repo';
import { clinic, type Clinic } from '../scheduler/clinic';

let replyN = 0;

/** Sends the appointment's 24 h reminder (as the channel would have) and returns its id. */
function send24h(c: Clinic, appointmentId: number): number {
  const m = c.messages(appointmentId).find((x) => x.idempotencyKey === `reminder:${appointmentId}:24h`);
  if (!m) throw new Error('no 24 h reminder');
  c.outbox.move(m.id, 'sending');
  c.outbox.move(m.id, 'sent', { providerId: `wamid.${m.id}` });
  return m.id;
}

/** The patient replies to a message; the reply is understood exactly as in the app. */
function reply(c: Clinic, messageId: number, body: string, phone = '+51987654321'): void {
  const id = insertReply(c.db, { providerMessageId: `in.${++replyN}`, messageId, patientId: null, fromPhone: phone, body, at: c.now() });
  if (id === null) throw new Error('duplicate reply');
  applyReplyIntent({ db: c.db, outbox: c.outbox, planner: c.planner, now: c.now, language: () => 'es' }, { replyId: id, messageId, fromPhone: phone, body });
}

describe('attendance for the dashboard', () => {
  it('counts attended / no-show from every source, with and without a confirmed reminder, and the confirmation rate', () => {
    const c = clinic({ now: '2026-03-01T08:00' });
    const lab = insertService(c.db, 'Laboratorio', 0);
    const other = insertSite(c.db, { name: 'Sede Norte', country: 'PE', timeZone: 'America/Lima' }, 0);
    const phone = (n: number) => `+5198765430${n}`;
    const book = (n: number, at: string, o: { consent?: 'opted_in' | 'unknown'; serviceId?: number } = {}) =>
      c.book({
        key: `a${n}`,
        patientId: c.patient({ phone: phone(n), consent: o.consent ?? 'opted_in' }),
        startsAt: c.local(at),
        ...(o.serviceId ? { serviceId: o.serviceId } : {}),
      });
    const a1 = book(1, '2026-03-05T09:00'); // confirmed, came
    const a2 = book(2, '2026-03-05T10:00'); // confirmed, did not come
    const a3 = book(3, '2026-03-05T11:00'); // reminded, no answer, did not come
    const a4 = book(4, '2026-03-05T12:00'); // reminded, no answer, came
    const a5 = book(5, '2026-03-05T13:00', { consent: 'unknown' }); // no reminder at all, came
    const a6 = book(6, '2026-03-05T14:00'); // confirmed, then cancelled
    const a7 = book(7, '2026-03-05T15:00', { serviceId: lab.id }); // another service: confirmed, came
    const a8 = book(8, '2026-03-12T09:00'); // outside the range

    // The 24 h reminders go the day before; a few patients answer.
    c.setNow(c.local('2026-03-04T09:00'));
    const sent = new Map([a1, a2, a3, a4, a6, a7].map((a) => [a, send24h(c, a)]));
    c.setNow(c.local('2026-03-04T15:30'));
    reply(c, sent.get(a1)!, 'Sí, confirmo', phone(1));
    reply(c, sent.get(a2)!, 'ok', phone(2));
    reply(c, sent.get(a6)!, 'sí', phone(6));
    reply(c, sent.get(a6)!, 'No podré ir, cancelo', phone(6));
    reply(c, sent.get(a7)!, '1', phone(7));
    expect(c.messages(a5)).toEqual([]);

    // Attendance arrives from every source: Citas by hand, the clinic database and HL7 SIU S26 (both through intake).
    c.setNow(c.local('2026-03-05T18:00'));
    setAppointmentSourceStatus(c.db, a1, 'attended', c.now());
    setAppointmentSourceStatus(c.db, a4, 'attended', c.now());
    const fromSource = (key: string, status: SourceAppointment['status'], at: string, source: 'clinic-db' | 'hl7', service: string) =>
      receiveAppointment(
        c.db,
        c.planner,
        {
          kind: 'appointment',
          source,
          sourceKey: key,
          appointmentId: key,
          patient: { documentType: 'DNI', documentTypeRaw: 'DNI', documentNumber: '50000001', medicalRecordNumber: null, firstNames: 'Eva', lastNames: 'Lara', phone: null, birthDate: null },
          site: 'Sede Miraflores',
          service,
          professional: null,
          startsAt: c.local(at),
          timeZone: 'America/Lima',
          durationMinutes: null,
          status,
        },
        { at: c.now(), language: 'es', defaultCountry: 'PE' },
      );
    c.db.prepare("UPDATE appointments SET source = 'clinic-db', source_key = 'clinic-db:77' WHERE id = ?").run(a3);
    c.setNow(c.local('2026-03-05T18:05'));
    expect(fromSource('clinic-db:77', 'no_show', '2026-03-05T11:00', 'clinic-db', 'Cardiología')).toMatchObject({ ok: true });
    c.db.prepare("UPDATE appointments SET source = 'hl7', source_key = 'hl7:S-2' WHERE id = ?").run(a2);
    c.setNow(c.local('2026-03-05T18:10'));
    expect(fromSource('hl7:S-2', 'no_show', '2026-03-05T10:00', 'hl7', 'Cardiología')).toMatchObject({ ok: true });
    setAppointmentSourceStatus(c.db, a5, 'attended', c.now());
    setAppointmentSourceStatus(c.db, a7, 'attended', c.now());
    setAppointmentSourceStatus(c.db, a8, 'attended', c.now());

    // The Panel's figures (from its roll-ups, kept by triggers) for that clinic day.
    syncPanelClock(c.db, 'America/Lima');
    const figures = (q: { serviceId?: number; siteId?: number }) =>
      reminderFigures(c.db, panelFilter({ from: '2026-03-05', to: '2026-03-05', ...q }, { timeZone: 'America/Lima', now: c.now() }));
    expect(figures({ serviceId: c.serviceId })).toEqual({
      appointments: 6,
      reminded: 5,
      confirmed: 2, // a6's "sí" was taken back by its cancellation
      confirmationPct: 40,
      withConfirmedReminder: { appointments: 2, noShows: 1, pct: 50 },
      withoutConfirmedReminder: { appointments: 3, noShows: 1, pct: 33.3 },
    });
    expect(figures({})).toEqual({
      appointments: 7,
      reminded: 6,
      confirmed: 3,
      confirmationPct: 50,
      withConfirmedReminder: { appointments: 3, noShows: 1, pct: 33.3 },
      withoutConfirmedReminder: { appointments: 3, noShows: 1, pct: 33.3 },
    });
    expect(figures({ siteId: other.id })).toEqual({
      appointments: 0,
      reminded: 0,
      confirmed: 0,
      confirmationPct: 0,
      withConfirmedReminder: { appointments: 0, noShows: 0, pct: 0 },
      withoutConfirmedReminder: { appointments: 0, noShows: 0, pct: 0 },
    });

    const range = { from: c.local('2026-03-05T00:00'), to: c.local('2026-03-06T00:00') };
    // Each with the moment its attendance was recorded, whoever recorded it.
    const records = attendanceRecords(c.db, { ...range, serviceId: c.serviceId });
    expect(records.map((r) => [r.appointmentId, r.status, r.attendanceAt, r.source])).toEqual([
      [a1, 'attended', c.local('2026-03-05T18:00'), 'manual'],
      [a2, 'no_show', c.local('2026-03-05T18:10'), 'hl7'],
      [a3, 'no_show', c.local('2026-03-05T18:05'), 'clinic-db'],
      [a4, 'attended', c.local('2026-03-05T18:00'), 'manual'],
      [a5, 'attended', c.local('2026-03-05T18:10'), 'manual'],
      [a6, 'cancelled', null, 'manual'],
    ]);
    // Reopened by mistake and marked again: the time is the new one, and none while it is open.
    setAppointmentSourceStatus(c.db, a1, 'booked', c.now());
    expect(attendanceRecords(c.db, range).find((r) => r.appointmentId === a1)?.attendanceAt).toBeNull();
  });
});
