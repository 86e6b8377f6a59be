import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { eventBus } from '../src/main/core/events';
import { receiveAppointment } from '../src/main/core/intake/appointments-intake';
import { receiveClinicDbAppointments } from '../src/main/core/intake/clinic-db-appointments';
import { createOutbox } from '../src/main/core/outbox/outbox';
import { createPlanner, type PlannerOptions } from '../src/main/core/scheduler/planner';
import type { SourceAppointment } from '../src/main/core/sources/clinic-db/records';
import { upsertAppointment, type AppointmentRecord } from '../src/main/core/store/appointments-repo';
import { insertService, insertSite } from '../src/main/core/store/clinic-repo';
import { openDatabase, type Db } from '../src/main/core/store/db';
import { insertPatient } from '../src/main/core/store/patients-repo';
import { random, withTempDir } from './util';

const APPOINTMENTS = 100_000;
const PATIENTS = 40_000;
const CHANGES = 1_000;
const DAYS = 60;

// A fixed, reproducible clock and data set: three sites in three zones, slots every 15 minutes from 08:00 to 19:45
// over the next 60 days, a few patients without phone or consent.
const NOW = DateTime.fromISO('2025-06-02T06:00:00Z').toMillis();
const zones = ['America/Lima', 'America/Santiago', 'America/Mexico_City'];

interface Clinic {
  db: Db;
  /** Each appointment as the clinic's database returns it (same key, patient by document, site and service by name). */
  rows: SourceAppointment[];
}

function seed(dir: string): Clinic {
  const db = openDatabase(dir);
  const rnd = random(42);
  const sites = zones.map((timeZone, i) => insertSite(db, { name: `Sede ${i + 1}`, country: 'PE', timeZone }, 0));
  const services = ['Cardiología', 'Pediatría', 'Ecografía', 'Laboratorio', 'Dermatología'].map((n) => insertService(db, n, 0));
  const patients: number[] = [];
  const rows: SourceAppointment[] = [];
  db.transaction(() => {
    for (let i = 0; i < PATIENTS; i++) {
      const phone = i % 37 === 0 ? null : `+519${String(10_000_000 + i).padStart(8, '0')}`;
      patients.push(
        insertPatient(
          db,
          {
            firstNames: i % 2 ? 'Ana María' : 'José Luis',
            lastNames: 'Quispe Rojas',
            documentType: 'DNI',
            documentNumber: String(10_000_000 + i),
            birthDate: null,
            phoneRaw: phone,
            phoneE164: phone,
            phoneError: phone ? null : 'No hay número de teléfono.',
            email: null,
            language: i % 50 === 0 ? 'en' : 'es',
            consent: i % 23 === 0 ? 'unknown' : 'opted_in',
            consentSource: 'import',
            consentAt: 0,
            siteId: null,
          },
          0,
        ).id,
      );
    }
    for (let i = 0; i < APPOINTMENTS; i++) {
      const site = sites[i % sites.length];
      const service = services[Math.floor(rnd() * services.length)];
      const p = Math.floor(rnd() * patients.length);
      const patient = patients[p];
      if (!site || !service || patient === undefined) throw new Error('seed');
      const day = DateTime.fromMillis(NOW, { zone: site.timeZone }).startOf('day').plus({ days: 1 + Math.floor(rnd() * DAYS) });
      const slot = Math.floor(rnd() * 48);
      const startsAt = day.set({ hour: 8 + Math.floor(slot / 4), minute: (slot % 4) * 15 }).toMillis();
      const record: AppointmentRecord = {
        siteId: site.id,
        serviceId: service.id,
        patientId: patient,
        startsAt,
        status: 'booked',
        source: 'clinic-db',
        sourceKey: `clinic-db:${i}`,
        professional: null,
      };
      const phone = p % 37 === 0 ? null : `+519${String(10_000_000 + p).padStart(8, '0')}`;
      rows.push({
        kind: 'appointment',
        source: 'clinic-db',
        sourceKey: record.sourceKey,
        appointmentId: String(i),
        patient: { documentType: 'DNI', documentTypeRaw: 'DNI', documentNumber: String(10_000_000 + p), medicalRecordNumber: null,
          firstNames: p % 2 ? 'Ana María' : 'José Luis', lastNames: 'Quispe Rojas', phone, birthDate: null },
        site: site.name,
        service: service.name,
        professional: null,
        startsAt,
        timeZone: null,
        durationMinutes: null,
        status: 'booked',
      });
      // Booked a week ago: every reminder ahead is plannable.
      upsertAppointment(db, record, NOW - 7 * 86_400_000);
    }
  })();
  return { db, rows };
}

function plannerFor(db: Db, clock: () => number, options: Partial<PlannerOptions> = {}) {
  const outbox = createOutbox(db, eventBus(), clock, () => 'es');
  return createPlanner({ db, outbox, now: clock, language: () => 'es', channel: () => 'cloud-api', ...options });
}

// BENCH_PROFILE=<dir>: each measured step is also CPU-profiled on its own (seeding left out), one .cpuprofile per
// figure, for /work/tools/prof.mjs or Chrome's DevTools.
const profileDir = process.env.BENCH_PROFILE;

async function seconds(name: string, fn: () => void): Promise<number> {
  const session = profileDir ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const start = performance.now();
  const cpu = process.cpuUsage();
  fn();
  const took = (performance.now() - start) / 1000;
  // On a shared machine the wall time also counts the waits for a core; the CPU time is the work itself.
  const used = process.cpuUsage(cpu);
  console.log(`  ${name}: ${took.toFixed(2)} s, of which on a core ${((used.user + used.system) / 1e6).toFixed(2)} s`);
  if (session && profileDir) {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
  return took;
}

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** Planning 100,000 appointments, then re-planning after 1,000 changes (reschedules and cancellations). */
export async function plan(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  await withTempDir(async (dir) => {
    const { db, rows } = seed(dir);
    let clock = NOW;
    const planner = plannerFor(db, () => clock);
    figures['plan.100k_s'] = await seconds('plan.100k_s', () => planner.planUpcoming());
    console.log(
      `  planned: ${count(db, 'SELECT COUNT(*) AS n FROM messages')} outbox rows within the horizon, ` +
        `${count(db, `SELECT COUNT(*) AS n FROM planning_issues WHERE severity = 'problem'`)} appointments with a problem`,
    );

    // 1,000 changes to appointments whose reminders are already rows: two thirds rescheduled by a day, one third
    // cancelled. They arrive as the clinic's database gives them: one poll returns the rows changed since the last, and
    // intake writes the poll in one transaction (patients matched, appointments upserted, reminders moved or withdrawn).
    clock = NOW + 3_600_000;
    const ctx = { at: clock, language: 'es' as const, defaultCountry: 'PE', siteCodes: [] };
    const near = rows.filter((r) => r.startsAt < NOW + 6 * 86_400_000);
    const changed = (r: SourceAppointment, i: number): SourceAppointment =>
      i % 3 === 2 ? { ...r, status: 'cancelled' } : { ...r, startsAt: r.startsAt + 86_400_000 };
    const poll = near.slice(0, CHANGES).map(changed);
    figures['plan.replan_1k_changes_s'] = await seconds('plan.replan_1k_changes_s', () => {
      const outcomes = receiveClinicDbAppointments(db, planner, poll, ctx);
      if (outcomes.some((o) => !o.ok)) throw new Error('a change was refused');
    });
    // The same number of changes arriving one at a time (an HL7 SIU message each), each in its own transaction.
    const oneByOne = near.slice(CHANGES, 2 * CHANGES).map(changed);
    figures['plan.replan_1k_one_by_one_s'] = await seconds('plan.replan_1k_one_by_one_s', () => {
      for (const r of oneByOne) if (!receiveAppointment(db, planner, r, ctx).ok) throw new Error('a change was refused');
    });
    // What a restart costs: the full pass over every appointment ahead, nearly all unchanged.
    figures['plan.replan_full_pass_s'] = await seconds('plan.replan_full_pass_s', () => planner.planUpcoming());
    db.close();
  });

  // For comparison: every reminder of every appointment written as an outbox row at once (no horizon).
  // BENCH_PLAN_QUICK=1 leaves it out while working on the figures above.
  if (process.env.BENCH_PLAN_QUICK === '1') return figures;
  await withTempDir(async (dir) => {
    const { db } = seed(dir);
    const planner = plannerFor(db, () => NOW, { horizonMs: Number.POSITIVE_INFINITY });
    figures['plan.100k_all_rows_s'] = await seconds('plan.100k_all_rows_s', () => planner.planUpcoming());
    console.log(`  without horizon: ${count(db, 'SELECT COUNT(*) AS n FROM messages')} outbox rows`);
    db.close();
  });
  return figures;
}
