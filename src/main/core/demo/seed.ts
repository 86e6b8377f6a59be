import { DateTime } from 'luxon';
import sample from '../../../../resources/demo/sample-clinic.json';
import type { Service, Site } from '../../../shared/domain';
import type { Db } from '../store/db';
import { upsertAppointment } from '../store/appointments-repo';
import { registerPatient } from '../intake/patients';
import { seedDemoPeople } from './demo-people';

export const sampleClinic = sample;

/** A small deterministic generator, so every demo clinic looks the same and tests can count on it. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoSeedSummary {
  patients: number;
  appointments: number;
  results: number;
  /** The lab's results for some patients, for the intake to receive as from any source. */
  labResults: DemoResult[];
}

export interface DemoResult {
  documentNumber: string;
  firstNames: string;
  lastNames: string;
  title: string;
  key: string;
  approved: boolean;
}

/**
 * Fills a fresh clinic with 50 patients and appointments over the next days, and says which lab results the demo lab
 * delivers (the caller hands them to the results intake). Appointment reminders are left to the planner (the caller
 * plans after seeding), so the demo shows exactly what a real clinic would get.
 */
export function seedDemo(
  db: Db,
  ctx: { sites: Site[]; services: Service[]; now: number },
): DemoSeedSummary {
  const rnd = mulberry32(20261124);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const results: DemoResult[] = [];
  const summary: DemoSeedSummary = { patients: 0, appointments: 0, results: 0, labResults: results };

  db.transaction(() => {
    seedDemoPeople(db, ctx.now);
    for (let i = 0; i < 50; i++) {
      const site = ctx.sites[i % ctx.sites.length] as Site;
      const firstNames = pick(sample.firstNames);
      const lastNames = `${pick(sample.lastNames)} ${pick(sample.lastNames)}`;
      // A few imperfect records on purpose: a landline and a patient without consent show where problems appear.
      const phone = i === 7 ? '01 4567890' : `9${String(10_000_000 + Math.floor(rnd() * 89_999_999))}`;
      const patient = registerPatient(
        db,
        {
          firstNames,
          lastNames,
          documentType: 'DNI',
          documentNumber: String(40_000_000 + i * 7919),
          birthDate: DateTime.fromMillis(ctx.now).minus({ years: 5 + Math.floor(rnd() * 75) }).toISODate(),
          phone,
          siteId: site.id,
          consent: i !== 13,
          consentSource: 'demo',
        },
        { at: ctx.now, language: 'es', defaultCountry: site.country },
      );
      summary.patients++;

      const service = pick(ctx.services);
      const day = DateTime.fromMillis(ctx.now, { zone: site.timeZone }).startOf('day').plus({ days: i % 5 });
      const startsAt = day.set({ hour: 8 + Math.floor(rnd() * 10), minute: pick([0, 15, 30, 45]) });
      upsertAppointment(
        db,
        {
          siteId: site.id,
          serviceId: service.id,
          patientId: patient.id,
          startsAt: startsAt.toMillis(),
          status: 'booked',
          source: 'demo',
          sourceKey: `demo:appointment:${i}`,
          professional: null,
        },
        ctx.now,
      );
      summary.appointments++;

      // Reminders are the real planner's (24 h and 2 h by the rules), planned after seeding like any other booking.
      // Results go through the real intake afterwards (see demo-results.ts): a PDF, a signature, "por revisar".
      if (i % 6 === 0 || i === 7 || i === 13) {
        results.push({
          documentNumber: patient.documentNumber,
          firstNames: patient.firstNames,
          lastNames: patient.lastNames,
          title: pick(sample.resultTitles),
          key: `demo:result:${i}`,
          // One result waits for the doctor's approval, to show where that happens.
          approved: i !== 30,
        });
        summary.results++;
      }
    }
  })();
  return summary;
}
