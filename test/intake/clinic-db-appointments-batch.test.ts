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

  it('leaves nothing of the poll when something unexpected fails midway, so the same rows are read again', () => {
    const c = clinic({ now: '2025-06-02T08:00' });
    let planned = 0;
    const failing: Planner = {
      ...c.planner,
      planAppointment: (id) => {
        if (++planned === 2) throw new Error('disk I/O error');
        return c.planner.planAppointment(id);
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
