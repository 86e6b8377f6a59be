import type { AppointmentStatus, ConsentStatus, Language } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface FollowUpRuleRow {
  id: number;
  name: string;
  serviceId: number | null;
  daysAfter: number;
  hourOfDay: number;
  templateName: string | null;
  templateLanguage: string | null;
  templateParams: string[];
  body: string;
  enabled: boolean;
  updatedAt: number;
}

type Stored = Omit<FollowUpRuleRow, 'templateParams' | 'enabled'> & { templateParams: string; enabled: number };
const parse = (r: Stored): FollowUpRuleRow => ({
  ...r,
  templateParams: JSON.parse(r.templateParams) as string[],
  enabled: r.enabled === 1,
});

const columns = `id, name, service_id AS serviceId, days_after AS daysAfter, hour_of_day AS hourOfDay,
  template_name AS templateName, template_language AS templateLanguage, template_params AS templateParams, body,
  enabled, updated_at AS updatedAt`;

/** The rules in force (deleted ones are kept only as the origin of what they planned). */
export function listFollowUpRules(db: Db): FollowUpRuleRow[] {
  return (prepared(db, `SELECT ${columns} FROM follow_up_rules WHERE deleted_at IS NULL ORDER BY id`).all() as Stored[]).map(
    parse,
  );
}

export function getFollowUpRule(db: Db, id: number): FollowUpRuleRow | undefined {
  const row = prepared(db, `SELECT ${columns} FROM follow_up_rules WHERE id = ? AND deleted_at IS NULL`).get(id) as
    | Stored
    | undefined;
  return row && parse(row);
}

export type FollowUpRuleRecord = Omit<FollowUpRuleRow, 'id' | 'updatedAt'>;

const params = (r: FollowUpRuleRecord, at: number) => ({
  ...r,
  templateParams: JSON.stringify(r.templateParams),
  enabled: r.enabled ? 1 : 0,
  at,
});

export function insertFollowUpRule(db: Db, r: FollowUpRuleRecord, at: number): number {
  const info = prepared(
    db,
    `INSERT INTO follow_up_rules (name, service_id, days_after, hour_of_day, template_name, template_language,
       template_params, body, enabled, created_at, updated_at)
     VALUES (@name, @serviceId, @daysAfter, @hourOfDay, @templateName, @templateLanguage, @templateParams, @body,
       @enabled, @at, @at)`,
  ).run(params(r, at));
  return Number(info.lastInsertRowid);
}

export function updateFollowUpRule(db: Db, id: number, r: FollowUpRuleRecord, at: number): boolean {
  return (
    prepared(
      db,
      `UPDATE follow_up_rules SET name = @name, service_id = @serviceId, days_after = @daysAfter,
         hour_of_day = @hourOfDay, template_name = @templateName, template_language = @templateLanguage,
         template_params = @templateParams, body = @body, enabled = @enabled, updated_at = @at
       WHERE id = @id AND deleted_at IS NULL`,
    ).run({ ...params(r, at), id }).changes === 1
  );
}

export function markFollowUpRuleDeleted(db: Db, id: number, at: number): boolean {
  return (
    prepared(db, 'UPDATE follow_up_rules SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL').run(
      at,
      at,
      id,
    ).changes === 1
  );
}

/** An appointment with what a follow-up needs: who, where, when, and whether it was attended. */
export interface FollowUpAppointment {
  id: number;
  status: AppointmentStatus;
  startsAt: number;
  siteId: number;
  serviceId: number;
  siteName: string;
  timeZone: string;
  serviceName: string;
  patientId: number;
  firstNames: string;
  lastNames: string;
  phoneE164: string | null;
  consent: ConsentStatus;
  language: Language;
}

export function followUpAppointment(db: Db, id: number): FollowUpAppointment | undefined {
  return prepared(
    db,
    `SELECT a.id, a.status, a.starts_at AS startsAt, a.site_id AS siteId, a.service_id AS serviceId, s.name AS siteName,
       s.time_zone AS timeZone, sv.name AS serviceName, p.id AS patientId, p.first_names AS firstNames,
       p.last_names AS lastNames, p.phone_e164 AS phoneE164, p.consent_status AS consent, p.language
     FROM appointments a JOIN sites s ON s.id = a.site_id JOIN services sv ON sv.id = a.service_id
     JOIN patients p ON p.id = a.patient_id WHERE a.id = ?`,
  ).get(id) as FollowUpAppointment | undefined;
}

export function insertFollowUp(db: Db, f: { messageId: number; appointmentId: number; ruleId: number }): void {
  prepared(db, 'INSERT OR IGNORE INTO follow_ups (message_id, appointment_id, rule_id) VALUES (?, ?, ?)').run(
    f.messageId,
    f.appointmentId,
    f.ruleId,
  );
}

export function queuedFollowUpsOfAppointment(db: Db, appointmentId: number): { messageId: number; ruleId: number }[] {
  return prepared(
    db,
    `SELECT f.message_id AS messageId, f.rule_id AS ruleId FROM follow_ups f JOIN messages m ON m.id = f.message_id
     WHERE f.appointment_id = ? AND m.state = 'queued' ORDER BY f.message_id`,
  ).all(appointmentId) as { messageId: number; ruleId: number }[];
}

export function queuedFollowUpsOfRule(db: Db, ruleId: number): number[] {
  return (
    prepared(
      db,
      `SELECT f.message_id AS id FROM follow_ups f JOIN messages m ON m.id = f.message_id
       WHERE f.rule_id = ? AND m.state = 'queued' ORDER BY f.message_id`,
    ).all(ruleId) as { id: number }[]
  ).map((r) => r.id);
}

export function followUpCounts(db: Db): Map<number, { queued: number; sent: number }> {
  const rows = prepared(
    db,
    `SELECT f.rule_id AS ruleId, COALESCE(SUM(m.state IN ('queued', 'sending')), 0) AS queued,
       COALESCE(SUM(m.state IN ('sent', 'delivered', 'read')), 0) AS sent
     FROM follow_ups f JOIN messages m ON m.id = f.message_id GROUP BY f.rule_id`,
  ).all() as { ruleId: number; queued: number; sent: number }[];
  return new Map(rows.map((r) => [r.ruleId, { queued: r.queued, sent: r.sent }]));
}

/** Attended appointments since a moment: the ones a new rule may still follow up. */
export function attendedAppointmentIdsSince(db: Db, since: number): number[] {
  return (
    prepared(db, `SELECT id FROM appointments WHERE status = 'attended' AND starts_at >= ? ORDER BY id`).all(since) as {
      id: number;
    }[]
  ).map((r) => r.id);
}
