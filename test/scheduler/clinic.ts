import { DateTime } from 'luxon';
import type { AppointmentStatus, ConsentStatus, Language } from '../../src/shared/domain';
import { eventBus } from '../../src/main/core/events';
import { createOutbox, type Outbox } from '../../src/main/core/outbox/outbox';
import { createPlanner, type Planner, type PlannerOptions } from '../../src/main/core/scheduler/planner';
import { upsertAppointment } from '../../src/main/core/store/appointments-repo';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { insertPatient } from '../../src/main/core/store/patients-repo';
import { listReminderRules, setReminderSettings, updateReminderRule } from '../../src/main/core/store/reminder-rules-repo';
import { tempDir } from '../helpers/temp';

// A clinic on a real SQLite file with a clock the test moves by hand.

export interface Clinic {
  db: Db;
  outbox: Outbox;
  planner: Planner;
  siteId: number;
  serviceId: number;
  zone: string;
  now(): number;
  setNow(at: number): void;
  /** Local wall-clock time in the site's zone, "2025-12-01T09:30" → epoch ms. */
  local(iso: string): number;
  patient(p?: { phone?: string | null; consent?: ConsentStatus; firstNames?: string; language?: Language }): number;
  /** Upserts the appointment as a source would, then plans it (what the lead wires on every upsert). */
  book(a: { key: string; patientId: number; startsAt: number; status?: AppointmentStatus; serviceId?: number }): number;
  messages(appointmentId?: number): MessageRow[];
}

export interface MessageRow {
  id: number;
  idempotencyKey: string;
  kind: string;
  state: string;
  notBefore: number;
  priority: number;
  toPhone: string;
  body: string;
  templateName: string | null;
  templateParams: string;
  buttons: string;
  lastErrorCode: string | null;
  lastErrorReason: string | null;
}

let documentNumber = 40_000_000;

export function clinic(o: { zone?: string; now: string; plannerOptions?: Partial<PlannerOptions> }): Clinic {
  const zone = o.zone ?? 'America/Lima';
  const local = (iso: string): number => {
    const dt = DateTime.fromISO(iso, { zone });
    if (!dt.isValid) throw new Error(`bad time ${iso}`);
    return dt.toMillis();
  };
  let clock = local(o.now);
  const now = () => clock;
  const db = openDatabase(tempDir());
  // The seeded rules and defaults carry the real install time; with a clock in the past they must predate it.
  for (const rule of listReminderRules(db)) updateReminderRule(db, rule.id, {}, 0);
  setReminderSettings(db, null, {}, 0);
  const bus = eventBus();
  const outbox = createOutbox(db, bus, now, () => 'es');
  const planner = createPlanner({
    db,
    outbox,
    now,
    language: () => 'es',
    channel: () => 'demo',
    bus,
    ...o.plannerOptions,
  });
  const site = insertSite(db, { name: 'Sede Miraflores', country: 'PE', timeZone: zone }, 0);
  const service = insertService(db, 'Cardiología', 0);
  return {
    db,
    outbox,
    planner,
    siteId: site.id,
    serviceId: service.id,
    zone,
    now,
    setNow: (at) => {
      clock = at;
    },
    local,
    patient(p = {}) {
      const phone = p.phone === undefined ? '+51987654321' : p.phone;
      return insertPatient(
        db,
        {
          firstNames: p.firstNames ?? 'Ana María',
          lastNames: 'Quispe Rojas',
          documentType: 'DNI',
          documentNumber: String(documentNumber++),
          birthDate: null,
          phoneRaw: phone,
          phoneE164: phone,
          phoneError: phone ? null : 'No hay número de teléfono.',
          email: null,
          language: p.language ?? 'es',
          consent: p.consent ?? 'opted_in',
          consentSource: 'reception_form',
          consentAt: 0,
          siteId: site.id,
        },
        0,
      ).id;
    },
    book(a) {
      const id = upsertAppointment(
        db,
        {
          siteId: site.id,
          serviceId: a.serviceId ?? service.id,
          patientId: a.patientId,
          startsAt: a.startsAt,
          status: a.status ?? 'booked',
          source: 'manual',
          sourceKey: a.key,
          professional: null,
        },
        clock,
      );
      planner.planAppointment(id);
      return id;
    },
    messages(appointmentId) {
      return db
        .prepare(
          `SELECT id, idempotency_key AS idempotencyKey, kind, state, not_before AS notBefore, priority, to_phone AS toPhone,
            body, template_name AS templateName, template_params AS templateParams, buttons,
            last_error_code AS lastErrorCode, last_error_reason AS lastErrorReason
           FROM messages WHERE (? IS NULL OR appointment_id = ?) ORDER BY id`,
        )
        .all(appointmentId ?? null, appointmentId ?? null) as MessageRow[];
    },
  };
}

export const iso = (at: number): string => new Date(at).toISOString();

/** Marks a queued message as gone through the provider, as the dispatcher would. */
export function markSent(c: Clinic, messageId: number, providerId = `wamid.${messageId}`): void {
  if (!c.outbox.move(messageId, 'sending', { countAttempt: true })) throw new Error(`cannot send ${messageId}`);
  if (!c.outbox.move(messageId, 'sent', { providerId })) throw new Error(`cannot mark ${messageId} sent`);
}
