import { DateTime } from 'luxon';
import sample from '../../../../resources/demo/sample-clinic.json';
import type { Service, Site } from '../../../shared/domain';
import type { Db } from '../store/db';
import { upsertAppointment } from '../store/appointments-repo';
import { upsertResult } from '../store/results-repo';
import { registerPatient } from '../intake/patients';
import type { Outbox } from '../outbox/outbox';
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
  messages: number;
}

/**
 * Fills a fresh clinic with 50 patients, appointments over the next days and a few approved results, and queues the
 * results' messages a few seconds apart so the Panel comes alive within a minute. Appointment reminders are left to
 * the planner (the caller plans after seeding), so the demo shows exactly what a real clinic would get.
 */
export function seedDemo(
  db: Db,
  outbox: Outbox,
  ctx: { sites: Site[]; services: Service[]; now: number },
): DemoSeedSummary {
  const rnd = mulberry32(20261124);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const summary: DemoSeedSummary = { patients: 0, appointments: 0, results: 0, messages: 0 };
  let nextSend = ctx.now + 1000;
  const sendSoon = (): number => (nextSend += 1200 + Math.floor(rnd() * 1500));

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

      const canMessage = patient.phoneE164 !== null && patient.consent === 'opted_in';
      // Reminders are the real planner's (24 h and 2 h by the rules), planned after seeding like any other booking.

      if (i % 6 === 0 || i === 7 || i === 13) {
        const title = pick(sample.resultTitles);
        const approved = canMessage;
        const resultId = upsertResult(
          db,
          {
            kind: 'result',
            patientId: patient.id,
            siteId: site.id,
            serviceId: service.id,
            source: 'demo',
            sourceKey: `demo:result:${i}`,
            title,
            approvedAt: approved ? ctx.now : null,
            approvedBy: approved ? 'Dra. Paredes' : null,
            status: approved ? 'queued' : 'pending_review',
            reviewReason: approved ? null : (patient.phoneError ?? 'Paciente sin consentimiento registrado'),
          },
          ctx.now,
        );
        summary.results++;
        if (approved) {
          outbox.enqueue(
            {
              kind: 'result',
              idempotencyKey: `result:demo:${i}`,
              patientId: patient.id,
              siteId: site.id,
              serviceId: service.id,
              appointmentId: null,
              resultId,
              resendOf: null,
              channel: 'demo',
              toPhone: patient.phoneE164 as string,
              templateName: 'resultado_listo',
              templateParams: [firstNames, title],
              body: `Hola ${firstNames}, su resultado de ${title} ya está disponible. Le enviamos el documento firmado.`,
              priority: 1,
              notBefore: sendSoon(),
            },
            'demo',
          );
          summary.messages++;
        }
      }
    }
  })();
  return summary;
}
