import { DateTime } from 'luxon';
import { syncPanelClock } from '../src/main/core/metrics/clinic-clock';
import { panelFilter, panelReport, reminderFigures } from '../src/main/core/metrics/panel';
import { panelCsv } from '../src/main/core/metrics/panel-csv';
import { insertService, insertSite } from '../src/main/core/store/clinic-repo';
import { openDatabase, type Db } from '../src/main/core/store/db';
import { panelFailures, panelGrouped, panelTotals } from '../src/main/core/store/panel-repo';
import { insertPatient } from '../src/main/core/store/patients-repo';
import { elapsedMs, random, withTempDir } from './util';

const MESSAGES = 1_000_000;
const DAYS = 90;
const PATIENTS = 20_000;
const RUNS = 7;
const ZONE = 'America/Lima';
// The last day of the data; the Panel looks at all 90 days (the widest question it gets).
const END = DateTime.fromISO('2025-06-30T00:00:00', { zone: ZONE });
const START = END.minus({ days: DAYS });

const kinds = ['reminder', 'result', 'document', 'campaign', 'followup'] as const;
const channels = ['cloud-api', 'linked-device'] as const;
const failures = [
  ['131026', 'El número no tiene WhatsApp.'],
  ['131047', 'Pasaron más de 24 horas desde el último mensaje del paciente.'],
  ['131049', 'Meta limitó los mensajes de marketing.'],
  ['130472', 'El paciente forma parte de un experimento de Meta.'],
] as const;

/**
 * 1,000,000 messages over 90 days: 2 sites, 4 services, 5 kinds, 2 channels; 85 % delivered, 60 % read, 4 % failed
 * with four reasons, a few queued/expired/cancelled; delivery in seconds, reading in minutes to hours; replies to
 * 12 %; a reminder per appointment, with answers and attendance. One transaction, prepared inserts; the roll-ups
 * are filled by the same triggers as in the app.
 */
export function seedMillion(db: Db): void {
  const rnd = random(1234);
  const sites = ['Sede Centro', 'Sede Norte'].map((name) => insertSite(db, { name, country: 'PE', timeZone: ZONE }, 0).id);
  const services = ['Laboratorio', 'Cardiología', 'Pediatría', 'Ecografía'].map((n) => insertService(db, n, 0).id);
  syncPanelClock(db, ZONE);
  const insertMessage = db.prepare(
    `INSERT INTO messages (kind, idempotency_key, patient_id, site_id, service_id, appointment_id, channel, to_phone,
      not_before, state, provider_id, last_error_code, last_error_reason, queued_at, sending_at, sent_at, delivered_at,
      read_at, failed_at, created_at, updated_at)
     VALUES (@kind, @key, @patient, @site, @service, @appointment, @channel, '+51900000000', @notBefore, @state, @providerId,
      @code, @reason, @notBefore, @sendingAt, @sentAt, @deliveredAt, @readAt, @failedAt, @notBefore, @notBefore)`,
  );
  const insertAppointment = db.prepare(
    `INSERT INTO appointments (site_id, service_id, patient_id, starts_at, status, source, source_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'bench', ?, 0, 0)`,
  );
  const insertAnswer = db.prepare(
    `INSERT INTO appointment_answers (appointment_id, answer, starts_at, at) VALUES (?, ?, ?, ?)`,
  );
  const insertReply = db.prepare(
    `INSERT INTO replies (provider_message_id, message_id, patient_id, from_phone, body, received_at)
     VALUES (?, ?, ?, '+51900000000', 'Sí', ?)`,
  );
  const span = END.toMillis() - START.toMillis();
  db.transaction(() => {
    const patients: number[] = [];
    for (let i = 0; i < PATIENTS; i++) {
      patients.push(
        insertPatient(
          db,
          {
            firstNames: 'Ana',
            lastNames: 'Quispe',
            documentType: 'DNI',
            documentNumber: String(10_000_000 + i),
            birthDate: null,
            phoneRaw: '+51900000000',
            phoneE164: '+51900000000',
            phoneError: null,
            email: null,
            language: 'es',
            consent: 'opted_in',
            consentSource: 'import',
            consentAt: 0,
            siteId: null,
          },
          0,
        ).id,
      );
    }
    for (let i = 0; i < MESSAGES; i++) {
      const kind = kinds[i % kinds.length] as (typeof kinds)[number];
      const site = sites[Math.floor(rnd() * sites.length)] as number;
      const service = services[Math.floor(rnd() * services.length)] as number;
      const patient = patients[Math.floor(rnd() * patients.length)] as number;
      // Working hours weigh more than nights: the moment is a day plus 07:00–21:00 most of the time.
      const day = Math.floor(rnd() * DAYS);
      const hour = rnd() < 0.9 ? 7 + rnd() * 14 : rnd() * 24;
      const notBefore = START.toMillis() + day * 86_400_000 + Math.floor(hour * 3_600_000);
      const u = rnd();
      let state = 'read';
      if (u < 0.01) state = 'queued';
      else if (u < 0.02) state = 'expired';
      else if (u < 0.025) state = 'cancelled';
      else if (u < 0.065) state = 'failed';
      else if (u < 0.1) state = 'sent';
      else if (u < 0.4) state = 'delivered';
      const reached = ['sent', 'delivered', 'read'].includes(state) || (state === 'failed' && rnd() < 0.5);
      const sentAt = reached ? notBefore + Math.floor(rnd() * 3000) : null;
      const deliveredAt =
        sentAt !== null && (state === 'delivered' || state === 'read') ? sentAt + Math.floor(500 + rnd() * rnd() * 60_000) : null;
      const readAt = deliveredAt !== null && state === 'read' ? deliveredAt + Math.floor(rnd() * rnd() * rnd() * 86_400_000) : null;
      const failure = state === 'failed' ? failures[Math.floor(rnd() * rnd() * failures.length)] : null;
      let appointment: number | null = null;
      if (kind === 'reminder') {
        // The appointment a day after its reminder; attended, missed, cancelled or still ahead.
        const startsAt = notBefore + 86_400_000;
        const a = rnd();
        const past = startsAt < START.toMillis() + span;
        const status = !past ? 'booked' : a < 0.75 ? 'attended' : a < 0.9 ? 'no_show' : 'cancelled';
        appointment = Number(insertAppointment.run(site, service, patient, startsAt, status, `b:${i}`).lastInsertRowid);
        if (sentAt !== null && rnd() < 0.55) insertAnswer.run(appointment, rnd() < 0.9 ? 'confirmed' : 'cancelled', startsAt, sentAt);
      }
      const id = Number(
        insertMessage.run({
          kind,
          key: `bench:${i}`,
          patient,
          site,
          service,
          appointment,
          channel: channels[i % 7 < 5 ? 0 : 1],
          notBefore,
          state,
          providerId: sentAt !== null ? `wamid.${i}` : null,
          code: failure?.[0] ?? null,
          reason: failure?.[1] ?? null,
          sendingAt: reached || state === 'failed' ? notBefore : null,
          sentAt,
          deliveredAt,
          readAt,
          failedAt: state === 'failed' ? notBefore + 5000 : null,
        }).lastInsertRowid,
      );
      if (sentAt !== null && rnd() < 0.12) insertReply.run(`in.${i}`, id, patient, (readAt ?? sentAt) + 60_000);
    }
  })();
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function panel(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const db = openDatabase(dir);
    db.pragma('cache_size = -262144'); // 256 MB: the seed's one transaction stays in memory until it commits
    const seedMs = elapsedMs(() => seedMillion(db));
    const ctx = { timeZone: ZONE, now: END.toMillis() };
    const all = { from: START.toISODate() as string, to: END.minus({ days: 1 }).toISODate() as string };
    const f = panelFilter(all, ctx);
    const narrow = panelFilter({ ...all, siteId: 1, kind: 'reminder', channel: 'cloud-api' }, ctx);
    const queries: Record<string, () => unknown> = {
      totals: () => panelTotals(db, f),
      totals_filtered: () => panelTotals(db, narrow),
      by_day: () => panelGrouped(db, f, 'day'),
      by_week: () => panelGrouped(db, f, 'week'),
      by_site: () => panelGrouped(db, f, 'site'),
      by_service: () => panelGrouped(db, f, 'service'),
      by_kind: () => panelGrouped(db, f, 'kind'),
      by_channel: () => panelGrouped(db, f, 'channel'),
      failures: () => panelFailures(db, f),
      reminders: () => reminderFigures(db, f),
      reminders_filtered: () => reminderFigures(db, narrow),
      // The whole Panel screen and its CSV, as the UI asks for them.
      summary: () => panelReport(db, { ...all, period: 'week', breakdown: 'service' }, ctx),
      csv: () => panelCsv(panelReport(db, all, ctx), 'es', { site: String, service: String }),
    };
    const figures: Record<string, number> = {};
    for (const [name, run] of Object.entries(queries)) {
      run(); // warm: statements prepared, pages cached, as in the running app
      figures[`panel.${name}_ms`] = medianOf(Array.from({ length: RUNS }, () => elapsedMs(run)));
    }
    const report = panelReport(db, all, ctx);
    if (report.totals.total !== MESSAGES) throw new Error(`seeded ${report.totals.total} messages, not ${MESSAGES}`);
    const slowest = Math.max(...Object.values(figures));
    db.close();
    return { 'panel.seed_1m_ms': seedMs, ...figures, 'panel.slowest_query_ms': slowest };
  });
}
