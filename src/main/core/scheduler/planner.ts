import type { ChannelId, Language } from '../../../shared/domain';
import { appendAudit } from '../audit/audit-log';
import type { EventBus } from '../events';
import type { Outbox } from '../outbox/outbox';
import { listSites } from '../store/clinic-repo';
import { getConsentPolicy, type ConsentPolicy } from '../store/consent-repo';
import { withScratchInMemory, type Db } from '../store/db';
import type { MessageRecord } from '../store/messages-repo';
import { listReminderRules, listReminderSettings, type StoredReminderRule } from '../store/reminder-rules-repo';
import {
  deletePlanningIssue,
  insertMessageNote,
  insertReminder,
  issuesOfAppointment,
  issuesOfAppointments,
  markReminderWithdrawn,
  planningConfigFingerprint,
  planningPage,
  planningRow,
  remindersOfAppointment,
  remindersOfAppointments,
  rewriteQueuedReminder,
  upcomingAppointmentIdsOfPatient,
  upsertPlanningIssue,
  type PlanningIssue,
  type PlanningRow,
  type ReminderContent,
  type ReminderRow,
} from '../store/reminders-repo';
import { catchUpReminders, withdrawnReasons } from './catch-up';
import { formatLocalWhen, inactiveCode, planRemindersDetailed, type ReminderPlan, type SitePlanning } from './rules';

export interface PlannerOptions {
  db: Db;
  outbox: Outbox;
  now: () => number;
  /** Language of the reasons stored for the receptionist. */
  language: () => Language;
  /** The channel written on new reminder rows. */
  channel: () => ChannelId;
  /** Told about new and moved reminders, so the dispatcher wakes and the UI refreshes. */
  bus?: EventBus;
  /**
   * Reminders due within this window become outbox rows now; later ones are planned by `advance()` as they come
   * near (problems such as a missing phone are recorded for every appointment at once). Infinity: all at once.
   */
  horizonMs?: number;
  catchUpGraceMs?: number;
}

export interface PlanSummary {
  appointments: number;
  created: number;
  rewritten: number;
  withdrawn: number;
  /** Appointments whose reminders cannot go for a reason a person can fix (no phone, no consent). */
  problems: number;
}

export interface Planner {
  /** After an appointment was created or changed (same transaction as the upsert, ideally). */
  planAppointment(id: number): PlanSummary;
  planAppointments(ids: readonly number[]): PlanSummary;
  /** After a patient's phone or consent changed. */
  planPatient(patientId: number): PlanSummary;
  /** Every appointment still ahead (at start, after rules or settings changed), then the catch-up. */
  planUpcoming(options?: { until?: number }): PlanSummary;
  /** The periodic pass (hourly): the appointments whose reminders may have entered the horizon, then the catch-up. */
  advance(): PlanSummary;
}

export const DEFAULT_HORIZON_MS = 7 * 86_400_000;
const PAGE = 1000;
// A bulk plan writes thousands of rows; one event per row would flood the UI. A few wake the dispatcher all the same.
const EVENTS_PER_BATCH = 50;

type PlannerCode =
  | 'no_phone'
  | 'no_consent'
  | 'opted_out'
  | 'too_close_to_booking'
  | 'quiet_hours'
  | 'merged'
  | 'too_late'
  | 'rule_removed'
  | 'already_sent';

const reasons: Record<PlannerCode, Record<Language, string>> = {
  no_phone: {
    es: 'El paciente no tiene un celular válido: corrija su teléfono en Pacientes.',
    en: 'The patient has no valid mobile number: fix it in Patients.',
  },
  no_consent: {
    es: 'El paciente no ha autorizado mensajes por WhatsApp: registre su consentimiento en Pacientes.',
    en: 'The patient has not agreed to WhatsApp messages: record their consent in Patients.',
  },
  opted_out: {
    es: 'El paciente pidió no recibir mensajes (BAJA).',
    en: 'The patient asked not to receive messages (STOP).',
  },
  too_close_to_booking: {
    es: 'La cita se registró con muy poca anticipación para este recordatorio.',
    en: 'The appointment was booked too close to its time for this reminder.',
  },
  quiet_hours: {
    es: 'Este recordatorio caería en el horario de silencio y la cita se registró después de la última hora permitida.',
    en: 'This reminder would fall in quiet hours and the appointment was booked after the last allowed time.',
  },
  merged: {
    es: 'Saldría casi a la misma hora que otro recordatorio de la cita: solo sale el más cercano a la cita.',
    en: 'It would go almost together with another reminder of the appointment: only the one nearer the appointment goes.',
  },
  too_late: {
    es: 'Su momento ya había pasado cuando la regla, el horario o el consentimiento cambió.',
    en: 'Its moment had passed when the rule, the quiet hours or the consent changed.',
  },
  rule_removed: {
    es: 'Se quitó o desactivó la regla de este recordatorio.',
    en: 'The rule for this reminder was removed or disabled.',
  },
  already_sent: {
    es: 'Ya se envió un recordatorio para esta hora de la cita.',
    en: 'A reminder for this appointment time was already sent.',
  },
};

const problemCodes: readonly string[] = ['no_phone', 'no_consent', 'opted_out'];

function reasonText(code: string, lang: Language): string {
  return (reasons as Record<string, Record<Language, string>>)[code]?.[lang] ?? withdrawnReasons[code]?.[lang] ?? code;
}

interface Texts {
  body: (first: string, service: string, site: string, when: string) => string;
  buttons: [string, string, string];
  moved: (when: string) => string;
  refreshed: string;
}

const texts: Record<Language, Texts> = {
  es: {
    body: (first, service, site, when) =>
      `Hola ${first}, le recordamos su cita de ${service} en ${site} el ${when}. ` +
      'Responda 1 para confirmar, 2 para cancelar o 3 para reprogramar.',
    buttons: ['Confirmar', 'Reprogramar', 'Cancelar'],
    moved: (when) => `La cita cambió: el recordatorio sale el ${when}.`,
    refreshed: 'Datos del recordatorio actualizados (teléfono, nombre o plantilla).',
  },
  en: {
    body: (first, service, site, when) =>
      `Hello ${first}, this is a reminder of your ${service} appointment at ${site} on ${when}. ` +
      'Reply 1 to confirm, 2 to cancel or 3 to reschedule.',
    buttons: ['Confirm', 'Reschedule', 'Cancel'],
    moved: (when) => `The appointment changed: the reminder goes on ${when}.`,
    refreshed: 'Reminder details updated (phone, name or template).',
  },
};

/** The quick replies offered with a reminder; their ids come back as payloads (see reply-intent). */
export function reminderButtons(appointmentId: number, lang: Language): { id: string; title: string }[] {
  const [confirm, reschedule, cancel] = texts[lang].buttons;
  return [
    { id: `CONFIRM:${appointmentId}`, title: confirm },
    { id: `RESCHEDULE:${appointmentId}`, title: reschedule },
    { id: `CANCEL:${appointmentId}`, title: cancel },
  ];
}

export function reminderKey(appointmentId: number, ruleKey: string, occurrence: number): string {
  // The first reminder of a slot keeps the plain key; another occurrence exists only after a reschedule.
  const base = `reminder:${appointmentId}:${ruleKey}`;
  return occurrence === 1 ? base : `${base}:${occurrence}`;
}

interface Config {
  rules: StoredReminderRule[];
  ruleSince: Map<number, number>;
  sites: Map<number, SitePlanning & { settingsSince: number }>;
  maxLeadMs: number;
  policy: ConsentPolicy;
}

function loadConfig(db: Db): Config {
  const rules = listReminderRules(db);
  const settings = listReminderSettings(db);
  const defaults = settings[0];
  const sites = new Map<number, SitePlanning & { settingsSince: number }>();
  for (const site of listSites(db)) {
    const s = settings.find((x) => x.siteId === site.id) ?? defaults;
    sites.set(site.id, {
      id: site.id,
      name: site.name,
      timeZone: site.timeZone,
      quietHours: s?.quietHours ?? null,
      minLeadMinutes: s?.minLeadMinutes ?? 0,
      catchUpMinBeforeMinutes: s?.catchUpMinBeforeMinutes ?? 60,
      settingsSince: s?.updatedAt ?? 0,
    });
  }
  return {
    rules,
    ruleSince: new Map(rules.map((r) => [r.id, r.updatedAt])),
    sites,
    maxLeadMs: Math.max(0, ...rules.map((r) => r.leadMinutes)) * 60_000,
    policy: getConsentPolicy(db),
  };
}

interface Batch {
  now: number;
  lang: Language;
  channel: ChannelId;
  summary: PlanSummary;
  touched: number[];
  createdIds: number[];
  /** New reminders of this batch, written through the outbox in one go when the batch ends. */
  pending: { record: MessageRecord; reminder: Omit<Parameters<typeof insertReminder>[1], 'messageId'>; notBefore: number }[];
  /** Some reminder was written with its moment already past: the catch-up must judge it before it goes. */
  late: boolean;
}

function recipientProblem(row: PlanningRow, policy: ConsentPolicy): 'no_phone' | 'opted_out' | 'no_consent' | null {
  if (!row.phoneE164) return 'no_phone';
  // A reminder of an appointment the patient booked is something they asked for: the clinic's policy decides.
  if (row.consent === 'opted_out') return policy.remindersAfterOptOut ? null : 'opted_out';
  return row.consent === 'opted_in' ? null : 'no_consent';
}

function sameContent(r: ReminderRow, c: ReminderContent): boolean {
  return (
    r.plannedSendAt === c.plannedSendAt &&
    r.announcesStartsAt === c.announcesStartsAt &&
    r.toPhone === c.toPhone &&
    r.body === c.body &&
    r.templateName === c.templateName &&
    r.templateLanguage === c.templateLanguage &&
    r.templateParams === JSON.stringify(c.templateParams)
  );
}

/**
 * Appointments × rules → outbox rows, one per (appointment, rule) by idempotency key, kept in step with every change:
 * a new time moves queued reminders (or, after one went out, plans one for the new time); a cancellation or a removed
 * rule withdraws them; a reminder already sent for the current time is never sent again.
 */
export function createPlanner(o: PlannerOptions): Planner {
  const horizon = o.horizonMs ?? DEFAULT_HORIZON_MS;
  const db = o.db;

  // Rules, settings, sites and the consent policy are read once and kept while they stay the same: a stream of single
  // changes (a day's bookings from the clinic's system) would otherwise read them all again for every appointment.
  let config: { fingerprint: string; cfg: Config } | null = null;
  const currentConfig = (): Config => {
    const fingerprint = planningConfigFingerprint(db);
    if (config?.fingerprint !== fingerprint) config = { fingerprint, cfg: loadConfig(db) };
    return config.cfg;
  };

  const withdraw = (batch: Batch, rows: readonly ReminderRow[], code: string): void => {
    for (const r of rows) {
      const moved = o.outbox.move(r.messageId, 'cancelled', {
        errorCode: `reminder.${code}`,
        errorReason: reasonText(code, batch.lang),
        actor: 'scheduler',
      });
      if (moved) {
        markReminderWithdrawn(db, r.messageId, code);
        batch.summary.withdrawn++;
      }
    }
  };

  const contentOf = (row: PlanningRow, site: SitePlanning, plan: ReminderPlan): ReminderContent => {
    const t = texts[row.language];
    const when = formatLocalWhen(row.startsAt, site.timeZone, row.language);
    return {
      notBefore: plan.sendAt,
      toPhone: row.phoneE164 ?? '',
      body: t.body(row.firstNames.trim(), row.serviceName, site.name, when),
      templateName: plan.templateName,
      templateLanguage: plan.templateLanguage,
      templateParams: plan.params,
      buttons: reminderButtons(row.id, row.language),
      announcesStartsAt: row.startsAt,
      plannedSendAt: plan.sendAt,
    };
  };

  const create = (batch: Batch, row: PlanningRow, ruleKey: string, occurrence: number, c: ReminderContent): void => {
    batch.pending.push({
      record: {
        kind: 'reminder',
        idempotencyKey: reminderKey(row.id, ruleKey, occurrence),
        patientId: row.patientId,
        siteId: row.siteId,
        serviceId: row.serviceId,
        appointmentId: row.id,
        resultId: null,
        resendOf: null,
        channel: batch.channel,
        toPhone: c.toPhone,
        templateName: c.templateName,
        templateLanguage: c.templateLanguage,
        templateParams: c.templateParams,
        body: c.body,
        buttons: c.buttons,
        priority: 1, // clinical: before campaigns and follow-ups
        notBefore: c.notBefore,
      },
      reminder: {
        appointmentId: row.id,
        ruleKey,
        occurrence,
        announcesStartsAt: c.announcesStartsAt,
        plannedSendAt: c.plannedSendAt,
      },
      notBefore: c.notBefore,
    });
  };

  const rewrite = (batch: Batch, r: ReminderRow, c: ReminderContent, site: SitePlanning, lang: Language): void => {
    const moved = r.plannedSendAt !== c.plannedSendAt;
    // Same moment: keep a later not-before the dispatcher or the catch-up chose.
    const content = moved ? c : { ...c, notBefore: r.notBefore };
    if (!rewriteQueuedReminder(db, r.messageId, content, batch.now)) return;
    const t = texts[lang];
    const note = moved ? t.moved(formatLocalWhen(c.plannedSendAt, site.timeZone, lang)) : t.refreshed;
    insertMessageNote(db, r.messageId, 'queued', batch.now, note);
    batch.summary.rewritten++;
    batch.touched.push(r.messageId);
    if (content.notBefore < batch.now) batch.late = true;
  };

  const syncIssues = (
    batch: Batch,
    appointmentId: number,
    had: readonly PlanningIssue[],
    want: Map<string, string>,
  ): void => {
    for (const [ruleKey, code] of want) {
      const reason = reasonText(code, batch.lang);
      const held = had.find((i) => i.ruleKey === ruleKey);
      if (held && held.code === code && held.reason === reason) continue;
      const severity = problemCodes.includes(code) ? 'problem' : 'info';
      upsertPlanningIssue(db, { appointmentId, ruleKey, code, severity, reason, at: batch.now });
    }
    for (const i of had) if (!want.has(i.ruleKey)) deletePlanningIssue(db, appointmentId, i.ruleKey);
    if ([...want.values()].some((code) => problemCodes.includes(code))) batch.summary.problems++;
  };

  const planOne = (
    cfg: Config,
    batch: Batch,
    row: PlanningRow,
    existing: readonly ReminderRow[],
    issues: readonly PlanningIssue[],
  ): void => {
    batch.summary.appointments++;
    const site = cfg.sites.get(row.siteId);
    const want = new Map<string, string>();
    const queued = existing.filter((r) => r.state === 'queued');
    const inactive = inactiveCode(row);
    if (!site || inactive || row.startsAt <= batch.now) {
      // A past appointment's due reminders are the catch-up's to judge; a cancelled one's are withdrawn here.
      if (inactive) withdraw(batch, queued, inactive);
      syncIssues(batch, row.id, issues, want);
      return;
    }
    const problem = recipientProblem(row, cfg.policy);
    if (problem) {
      withdraw(batch, queued, problem);
      want.set('*', problem);
      syncIssues(batch, row.id, issues, want);
      return;
    }

    const appointment = {
      id: row.id,
      siteId: row.siteId,
      serviceId: row.serviceId,
      startsAt: row.startsAt,
      bookedAt: row.bookedAt,
      status: row.status,
      patientFirstName: row.firstNames.trim(),
      serviceName: row.serviceName,
    };
    const { planned, skipped } = planRemindersDetailed(appointment, cfg.rules, site, batch.now);
    const decisions = new Map<string, ReminderPlan | { code: string }>();
    for (const p of planned) decisions.set(p.ruleKey, p);
    for (const s of skipped) decisions.set(s.ruleKey, s);
    const keys = new Set([...decisions.keys(), ...existing.map((r) => r.ruleKey)]);

    for (const key of keys) {
      const rows = existing.filter((r) => r.ruleKey === key);
      const pending = rows.filter((r) => r.state === 'queued');
      const d = decisions.get(key);
      if (!d) {
        withdraw(batch, pending, 'rule_removed');
        continue;
      }
      if ('code' in d) {
        withdraw(batch, pending, d.code);
        want.set(key, d.code);
        continue;
      }
      // Sent (or failed, expired, cancelled by a person) for this very time: never again on a re-read.
      const handled = rows.some(
        (r) =>
          r.announcesStartsAt === row.startsAt &&
          r.state !== 'queued' &&
          !(r.state === 'cancelled' && r.withdrawnCode !== null),
      );
      if (handled) {
        withdraw(batch, pending, 'already_sent');
        continue;
      }
      // Could Avisa have sent it at its moment, had it been running? Then it was missed (the catch-up decides);
      // otherwise its moment had passed before the booking, the rule, the settings or the consent allowed it.
      const since = Math.max(row.bookedAt, cfg.ruleSince.get(d.ruleId) ?? 0, site.settingsSince, row.consentAt ?? 0);
      const tooLate = d.sendAt < batch.now && d.sendAt < since;
      const keep = pending[pending.length - 1];
      if (!keep && !tooLate && d.sendAt > batch.now + horizon) continue; // planned when it comes near
      withdraw(batch, pending.slice(0, -1), 'already_sent');
      const content = contentOf(row, site, d);
      if (keep) {
        if (sameContent(keep, content)) continue;
        if (tooLate && keep.plannedSendAt !== d.sendAt) {
          withdraw(batch, [keep], 'too_late');
          want.set(key, 'too_late');
        } else {
          rewrite(batch, keep, content, site, batch.lang);
        }
        continue;
      }
      if (tooLate) {
        want.set(key, 'too_late');
        continue;
      }
      const occurrence = rows.reduce((max, r) => Math.max(max, r.occurrence), 0) + 1;
      create(batch, row, key, occurrence, content);
    }
    syncIssues(batch, row.id, issues, want);
  };

  const newBatch = (): Batch => ({
    now: o.now(),
    lang: o.language(),
    channel: o.channel(),
    summary: { appointments: 0, created: 0, rewritten: 0, withdrawn: 0, problems: 0 },
    touched: [],
    createdIds: [],
    pending: [],
    late: false,
  });

  const auditEntry = (batch: Batch, appointmentId: number | null, createdIds: readonly number[]) => ({
    actor: 'scheduler',
    action: 'reminders.planned',
    entity: 'appointment',
    entityId: appointmentId,
    data: {
      appointments: batch.summary.appointments,
      created: createdIds.length,
      firstMessageId: createdIds.length ? Math.min(...createdIds) : null,
      lastMessageId: createdIds.length ? Math.max(...createdIds) : null,
      rewritten: batch.summary.rewritten,
    },
  });

  const finish = (batch: Batch, appointmentId: number | null): void => {
    // Every new reminder enters through one batch enqueue of the outbox; one audit entry covers the batch: new rows of
    // one transaction have consecutive ids, so the range names them all.
    const pending = batch.pending;
    batch.pending = [];
    if (pending.length) {
      const results = o.outbox.enqueueMany(
        pending.map((p) => p.record),
        { actor: 'scheduler', announce: false, audit: (createdIds) => auditEntry(batch, appointmentId, createdIds) },
      );
      results.forEach(({ id, created }, i) => {
        const p = pending[i];
        // The key belongs to a message this planner does not know (written by hand or by an older version): leave it be.
        if (!created || !p) return;
        insertReminder(db, { messageId: id, ...p.reminder });
        batch.summary.created++;
        batch.touched.push(id);
        batch.createdIds.push(id);
        if (p.notBefore < batch.now) batch.late = true;
      });
    }
    // Rewrites only (or keys all taken): the batch's audit entry is written here.
    if (batch.createdIds.length || batch.touched.length === 0) return;
    appendAudit(db, auditEntry(batch, appointmentId, []), batch.now);
  };

  const announce = (batch: Batch): void => {
    for (const id of batch.touched.slice(0, EVENTS_PER_BATCH)) o.bus?.emit('message.changed', { id, state: 'queued' });
  };

  const catchUp = (): void => {
    catchUpReminders({ db, outbox: o.outbox, now: o.now, language: o.language, graceMs: o.catchUpGraceMs });
  };

  const planIds = (ids: readonly number[]): PlanSummary => {
    const cfg = currentConfig();
    const batch = newBatch();
    const write = (): void => {
      for (const id of ids) {
        const row = planningRow(db, id);
        if (!row) continue;
        planOne(cfg, batch, row, remindersOfAppointment(db, id), issuesOfAppointment(db, id));
      }
      finish(batch, ids.length === 1 ? (ids[0] ?? null) : null);
    };
    // Inside a caller's transaction (a poll of the clinic database, an import, a change from the UI) planning is part of
    // it, without a savepoint of its own: while one is open SQLite keeps a copy of every page written since, and walks
    // that copy each time a statement ends, so planning a poll of a thousand changes slowed with every row. An error
    // goes up to the caller, and its transaction rolls back with the planning in it.
    if (db.inTransaction) write();
    else withScratchInMemory(db, db.transaction(write));
    announce(batch);
    if (batch.late) catchUp();
    return batch.summary;
  };

  const planRange = (until: number): PlanSummary => {
    const cfg = currentConfig();
    const total: PlanSummary = { appointments: 0, created: 0, rewritten: 0, withdrawn: 0, problems: 0 };
    let after: { startsAt: number; id: number } | null = null;
    for (;;) {
      const batch = newBatch();
      const page = planningPage(db, { from: batch.now, until, after, limit: PAGE });
      const last = page[page.length - 1];
      if (!last) break;
      // One transaction per page: a long plan never holds the database from the dispatcher and the webhooks for long.
      withScratchInMemory(db, db.transaction(() => {
        const ids = page.map((r) => r.id);
        const reminders = groupBy(remindersOfAppointments(db, ids));
        const issues = groupBy(issuesOfAppointments(db, ids));
        for (const row of page) planOne(cfg, batch, row, reminders.get(row.id) ?? [], issues.get(row.id) ?? []);
        finish(batch, null);
      }));
      announce(batch);
      for (const k of Object.keys(total) as (keyof PlanSummary)[]) total[k] += batch.summary[k];
      after = { startsAt: last.startsAt, id: last.id };
    }
    catchUp();
    return total;
  };

  return {
    planAppointment: (id) => planIds([id]),
    planAppointments: planIds,
    planPatient: (patientId) => planIds(upcomingAppointmentIdsOfPatient(db, patientId, o.now())),
    planUpcoming: (options = {}) => planRange(options.until ?? Number.MAX_SAFE_INTEGER),
    advance() {
      // Quiet hours may pull a reminder up to a day earlier than its lead.
      const cfg = currentConfig();
      return planRange(Math.min(o.now() + horizon + cfg.maxLeadMs + 86_400_000, Number.MAX_SAFE_INTEGER));
    },
  };
}

function groupBy<T extends { appointmentId: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) {
    const list = map.get(r.appointmentId);
    if (list) list.push(r);
    else map.set(r.appointmentId, [r]);
  }
  return map;
}
