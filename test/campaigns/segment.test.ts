import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { selectSegment, previewSegment } from '../../src/main/core/campaigns/segment';
import { personalise } from '../../src/main/core/campaigns/personalise';
import { registerPatient } from '../../src/main/core/intake/patients';
import { upsertAppointment } from '../../src/main/core/store/appointments-repo';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { openDatabase } from '../../src/main/core/store/db';
import { setPatientTags } from '../../src/main/core/store/tags-repo';
import { tempDir } from '../helpers/temp';

const zone = 'America/Lima';
const now = DateTime.fromISO('2025-06-15T10:00', { zone }).toMillis();

function seededStore() {
  const db = openDatabase(tempDir());
  const norte = insertSite(db, { name: 'Sede Norte', country: 'PE', timeZone: zone }, now);
  const sur = insertSite(db, { name: 'Sede Sur', country: 'PE', timeZone: zone }, now);
  const lab = insertService(db, 'Laboratorio', now);
  const cardio = insertService(db, 'Cardiología', now);
  let n = 0;
  const patient = (name: string, o: { site: number; born: string | null; consent?: boolean; phone?: string | null }) =>
    registerPatient(
      db,
      {
        firstNames: name,
        lastNames: 'Prueba',
        documentType: 'DNI',
        documentNumber: String(40_000_000 + n++),
        birthDate: o.born,
        phone: o.phone === undefined ? `9${String(10_000_000 + n)}` : o.phone,
        siteId: o.site,
        consent: o.consent ?? true,
      },
      { at: now, language: 'es', defaultCountry: 'PE' },
    );
  const visit = (patientId: number, serviceId: number, isoDay: string, status: 'attended' | 'booked' = 'attended') =>
    upsertAppointment(
      db,
      {
        siteId: norte.id,
        serviceId,
        patientId,
        startsAt: DateTime.fromISO(`${isoDay}T09:00`, { zone }).toMillis(),
        status,
        source: 'manual',
        sourceKey: `v:${patientId}:${serviceId}:${isoDay}`,
        professional: null,
      },
      now,
    );
  const ana = patient('Ana María', { site: norte.id, born: '1960-06-15' }); // 65 today
  const beto = patient('Beto', { site: norte.id, born: '1960-06-16' }); // 64 today (birthday tomorrow)
  const carla = patient('Carla', { site: sur.id, born: '1990-01-01' });
  const dante = patient('Dante', { site: norte.id, born: '1970-03-03', consent: false });
  const elsa = patient('Elsa', { site: norte.id, born: '1955-05-05', phone: null });
  const fito = patient('Fito', { site: norte.id, born: null });
  visit(ana.id, cardio.id, '2025-03-10');
  visit(ana.id, lab.id, '2025-06-01');
  visit(beto.id, cardio.id, '2025-01-20');
  visit(beto.id, cardio.id, '2025-06-20', 'booked'); // a future booking is not a visit
  visit(carla.id, lab.id, '2025-05-05');
  visit(dante.id, cardio.id, '2025-04-04');
  visit(elsa.id, cardio.id, '2025-04-30');
  setPatientTags(db, ana.id, ['Hipertensión', 'convenio']);
  setPatientTags(db, carla.id, ['hipertensión']);
  setPatientTags(db, dante.id, ['Hipertensión']);
  return { db, norte, sur, lab, cardio, ana, beto, carla, dante, elsa, fito };
}

const names = (s: ReturnType<typeof selectSegment>) => s.reached.map((p) => p.firstNames);

describe('campaign segments against a seeded store', () => {
  it('selects by site, and tells the excluded apart by reason', () => {
    const s = seededStore();
    const picked = selectSegment(s.db, { siteIds: [s.norte.id] }, now, zone);
    expect(names(picked)).toEqual(['Ana María', 'Beto', 'Fito']);
    expect(picked.excluded.map((e) => [e.patient.firstNames, e.code])).toEqual([
      ['Dante', 'no_consent'],
      ['Elsa', 'no_phone'],
    ]);
  });

  it('selects by service seen and by the date of the last visit, in the site zone', () => {
    const s = seededStore();
    expect(names(selectSegment(s.db, { serviceIds: [s.cardio.id] }, now, zone))).toEqual(['Ana María', 'Beto']);
    // Ana's last visit to cardiology was in March; her lab visit in June does not count for a cardiology segment.
    const cardioSpring = { serviceIds: [s.cardio.id], lastVisitFrom: '2025-03-01', lastVisitTo: '2025-03-31' };
    expect(names(selectSegment(s.db, cardioSpring, now, zone))).toEqual(['Ana María']);
    // Any service: Ana's last visit is June 1st, Carla's May 5th, Beto's January (the June booking is no visit).
    const recent = { lastVisitFrom: '2025-05-05', lastVisitTo: '2025-06-01' };
    expect(names(selectSegment(s.db, recent, now, zone))).toEqual(['Ana María', 'Carla']);
  });

  it('selects by age from the birth date, whole years today', () => {
    const s = seededStore();
    expect(names(selectSegment(s.db, { ageMin: 65 }, now, zone))).toEqual(['Ana María']);
    expect(names(selectSegment(s.db, { ageMin: 60, ageMax: 64 }, now, zone))).toEqual(['Beto']);
    // Fito has no birth date: he is left out as soon as an age is asked.
    expect(names(selectSegment(s.db, { ageMax: 200 }, now, zone))).not.toContain('Fito');
  });

  it('selects by any of the tags, whatever their case, and combines every criterion', () => {
    const s = seededStore();
    const tagged = selectSegment(s.db, { tags: ['HIPERTENSIÓN'] }, now, zone);
    expect(names(tagged)).toEqual(['Ana María', 'Carla']);
    expect(tagged.excluded.map((e) => e.code)).toEqual(['no_consent']);
    expect(names(selectSegment(s.db, { tags: ['hipertensión'], siteIds: [s.sur.id] }, now, zone))).toEqual(['Carla']);
    expect(previewSegment(s.db, { tags: ['hipertensión'] }, now, zone)).toMatchObject({
      matched: 3,
      reached: 2,
      excluded: { no_consent: 1, opted_out: 0, no_phone: 0 },
    });
  });

  it('fills patient fields into the text', () => {
    const fields = { firstNames: 'Ana María', lastNames: 'Quispe Rojas', siteName: 'Sede Norte' };
    expect(personalise('Hola {nombre}, le esperamos en {sede}. {desconocido}', fields)).toBe(
      'Hola Ana, le esperamos en Sede Norte. {desconocido}',
    );
    expect(personalise('{nombre_completo}', fields)).toBe('Ana María Quispe Rojas');
  });
});
