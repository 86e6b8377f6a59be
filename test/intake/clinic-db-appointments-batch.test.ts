import { describe, expect, it } from 'vitest';
import { receiveClinicDbAppointments } from '../../src/main/core/intake/clinic-db-appointments';
import type { Planner } from '../../src/main/core/scheduler/planner';
import type { SourceAppointment } from '../../src/main/core/sources/clinic-db/records';
import { clinic } from '../scheduler/clinic';

// One poll of the clinic database is written in one transaction: the rows taken together, a refused row kept with its
// reason beside them, and nothing at all when something unexpected breaks in the middle (the poll is read again).

const row = (id: string, startsAt: number, over: Partial<SourceAppointment> = {}): SourceAppointment => ({
  kind: 'appointment',
  source: 'clinic-db',
  sourceKey: `clinic-db:${id}`,
  appointmentId: id,
  patient: {
    documentType: 'DNI',
    documentTypeRaw: 'DNI',
    documentNumber: `4011${id.padStart(4, '0')}`,
    medicalRecordNumber: null,
    firstNames: 'Rosa',
    lastNames: 'Torres',
    phone: '987111222',
    birthDate: null,
  },
  site: 'Sede Miraflores',
  service: 'Cardiología',
  professional: null,
  startsAt,
  timeZone: null,
  durationMinutes: null,
  status: 'booked',
  ...over,
});

const ctx = (at: number) => ({ at, language: 'es' as const, defaultCountry: 'PE', siteCodes: [] });
const count = (c: ReturnType<typeof clinic>, sql: string) => (c.db.prepare(sql).get() as { n: number }).n;

describe('a poll of clinic-database appointments', () => {
  it('is taken in one go: every readable row with its planning, a row Avisa cannot place kept with its reason', () => {
    const c = clinic({ now: '2025-06-02T08:00' });
    const outcomes = receiveClinicDbAppointments(
      c.db,
      c.planner,
      [row('1', c.local('2025-06-05T10:00')), row('2', c.local('2025-06-05T11:00'), { site: 'Sede Desconocida' }), row('3', c.local('2025-06-06T09:00'))],
      ctx(c.now()),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(count(c, 'SELECT COUNT(*) AS n FROM appointments')).toBe(2);
    // Each appointment taken has its planning (reminders, or the reason none will go: no consent from this source).
    expect(count(c, 'SELECT COUNT(DISTINCT appointment_id) AS n FROM planning_issues')).toBe(2);
    const kept = c.db.prepare('SELECT source_key AS key, reason_es AS es, reason_en AS en FROM clinic_db_refused').all();
    expect(kept).toEqual([{ key: 'clinic-db:2', es: expect.stringContaining('Sede Desconocida'), en: expect.any(String) }]);
    expect(c.db.pragma('temp_store', { simple: true })).toBe(0);
  });

  it('plans the poll like the rows one by one: a reschedule moves the reminder, a cancellation withdraws it', () => {
    const c = clinic({ now: '2025-06-02T08:00' });
    const first = [row('1', c.local('2025-06-05T10:00')), row('2', c.local('2025-06-05T11:00'))];
    receiveClinicDbAppointments(c.db, c.planner, first, ctx(c.now()));
    // The patients gave consent meanwhile, so reminders can be planned.
    c.db.prepare(`UPDATE patients SET consent_status = 'opted_in', consent_at = 0`).run();
    c.planner.planUpcoming();
    const before = c.messages();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((m) => m.state === 'queued')).toBe(true);

    const moved = c.local('2025-06-06T10:00');
    receiveClinicDbAppointments(c.db, c.planner, [row('1', moved), { ...row('2', c.local('2025-06-05T11:00')), status: 'cancelled' }], ctx(c.now()));
    const ids = (c.db.prepare('SELECT id FROM appointments ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const [one, two] = ids;
    // Lima has no summer time: each reminder of the appointment moved a day, as its appointment did.
    const movedBefore = before.filter((m) => m.idempotencyKey.startsWith(`reminder:${one}:`));
    expect(movedBefore.length).toBeGreaterThan(0);
    expect(c.messages(one).map((m) => ({ id: m.id, state: m.state, notBefore: m.notBefore }))).toEqual(
      movedBefore.map((m) => ({ id: m.id, state: 'queued', notBefore: m.notBefore + 86_400_000 })),
    );
    expect(c.messages(two).every((m) => m.state === 'cancelled')).toBe(true);
    // One audit entry for the planning of the whole poll, besides each withdrawn reminder's own.
    const planned = c.db.prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'reminders.planned'`).get() as { n: number };
    expect(planned.n).toBe(2); // the pass that wrote the reminders, then the second poll as one
  });

  it('leaves nothing of the poll when something unexpected fails midway, so the same rows are read again', () => {
    const c = clinic({ now: '2025-06-02T08:00' });
    const failing: Planner = {
      ...c.planner,
      planAppointments: () => {
        throw new Error('disk I/O error');
      },
    };
    expect(() =>
      receiveClinicDbAppointments(c.db, failing, [row('1', c.local('2025-06-05T10:00')), row('2', c.local('2025-06-05T11:00'))], ctx(c.now())),
    ).toThrow('disk I/O error');
    expect(count(c, 'SELECT COUNT(*) AS n FROM appointments')).toBe(0);
    expect(count(c, 'SELECT COUNT(*) AS n FROM patients')).toBe(0);
    expect(count(c, 'SELECT COUNT(*) AS n FROM planning_issues')).toBe(0);

    // Read again once the trouble is gone: taken once, as if the failed attempt had never happened.
    const again = receiveClinicDbAppointments(c.db, c.planner, [row('1', c.local('2025-06-05T10:00')), row('2', c.local('2025-06-05T11:00'))], ctx(c.now()));
    expect(again.map((o) => o.ok)).toEqual([true, true]);
    expect(count(c, 'SELECT COUNT(*) AS n FROM appointments')).toBe(2);
  });
});
