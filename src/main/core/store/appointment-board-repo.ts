import type { Appointment, MessageState } from '../../../shared/domain';
import type { AppointmentReplyView, ConfirmationCounts, ConfirmationFilter } from '../../../shared/appointments-api';
import { appointmentColumns } from './appointments-repo';
import { prepared, type Db } from './db';

// Citas as the front desk works a day: every appointment classified once, in SQL, by what its patient answered and
// whether its reminder failed, so the chips' counts and the rows of a chip come from the same definition.

/** One site's local day as instants: [from, to). Each site cuts its own day, in its own zone. */
export interface SiteWindow {
  siteId: number;
  from: number;
  to: number;
}

// An appointment still to happen: a cancelled, attended or no-show one asks nothing of the front desk.
const active = `a.status IN ('booked', 'confirmed')`;
// A "yes" counts only for the time it answered: after a reschedule it says nothing about the new time.
const confirmedExpr = `(a.status = 'confirmed' OR EXISTS (SELECT 1 FROM appointment_answers aa
  WHERE aa.appointment_id = a.id AND aa.answer = 'confirmed' AND aa.starts_at = a.starts_at))`;
const changeRequestedExpr = `EXISTS (SELECT 1 FROM reply_intents ri WHERE ri.appointment_id = a.id
  AND ri.intent = 'reschedule' AND ri.outcome = 'attention' AND ri.attended_at IS NULL)`;
// The newest reminder of a slot for the current time failed, and nobody resent it since.
const failedReminderOf = `SELECT r.message_id FROM reminders r JOIN messages m ON m.id = r.message_id
  WHERE r.appointment_id = a.id AND r.announces_starts_at = a.starts_at AND m.state = 'failed'
    AND NOT EXISTS (SELECT 1 FROM reminders r2 WHERE r2.appointment_id = r.appointment_id AND r2.rule_key = r.rule_key
      AND r2.occurrence > r.occurrence)
    AND NOT EXISTS (SELECT 1 FROM messages rs WHERE rs.resend_of = m.id)`;

const classified = `WITH win AS (
    SELECT json_extract(value, '$.siteId') AS site_id, json_extract(value, '$.from') AS from_at,
      json_extract(value, '$.to') AS to_at
    FROM json_each(@windows)
  ),
  day AS (
    SELECT a.id, a.starts_at,
      (${active} AND ${confirmedExpr}) AS confirmed,
      (${active} AND ${changeRequestedExpr}) AS change_requested,
      (${active} AND EXISTS (${failedReminderOf})) AS reminder_failed,
      (${active} AND NOT ${confirmedExpr} AND NOT ${changeRequestedExpr}) AS no_answer
    FROM appointments a JOIN win ON a.site_id = win.site_id AND a.starts_at >= win.from_at AND a.starts_at < win.to_at
  )`;

const filterColumn: Record<ConfirmationFilter, string> = {
  confirmed: 'confirmed',
  no_answer: 'no_answer',
  change_requested: 'change_requested',
  reminder_failed: 'reminder_failed',
};

/** How many appointments of the day fall in each chip: one query over the day's appointments. */
export function confirmationCounts(db: Db, windows: readonly SiteWindow[]): ConfirmationCounts {
  const row = prepared(
    db,
    `${classified}
     SELECT COUNT(*) AS "all", IFNULL(SUM(confirmed), 0) AS confirmed, IFNULL(SUM(no_answer), 0) AS no_answer,
       IFNULL(SUM(change_requested), 0) AS change_requested, IFNULL(SUM(reminder_failed), 0) AS reminder_failed
     FROM day`,
  ).get({ windows: JSON.stringify(windows) }) as ConfirmationCounts;
  return row;
}

/** The ids of the day's appointments in a chip (all of them without one), in time order. */
export function boardAppointmentIds(db: Db, windows: readonly SiteWindow[], filter?: ConfirmationFilter): number[] {
  const where = filter ? `WHERE ${filterColumn[filter]}` : '';
  return (
    prepared(db, `${classified} SELECT id FROM day ${where} ORDER BY starts_at, id`).all({
      windows: JSON.stringify(windows),
    }) as { id: number }[]
  ).map((r) => r.id);
}

export function appointmentsByIds(db: Db, ids: readonly number[]): Appointment[] {
  return prepared(
    db,
    `SELECT ${appointmentColumns} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.starts_at, a.id`,
  ).all(JSON.stringify(ids)) as Appointment[];
}

/** Each appointment's latest reply received since it got its current time (older ones answered another time). */
export function latestRepliesOf(db: Db, ids: readonly number[]): AppointmentReplyView[] {
  return (
    prepared(
      db,
      `SELECT ri.appointment_id AS appointmentId, ri.reply_id AS replyId, ri.intent, rp.body, rp.received_at AS receivedAt,
        (ri.outcome = 'attention' AND ri.attended_at IS NULL) AS open
       FROM reply_intents ri
       JOIN replies rp ON rp.id = ri.reply_id
       JOIN appointments a ON a.id = ri.appointment_id
       WHERE ri.appointment_id IN (SELECT value FROM json_each(?))
         AND ri.at > COALESCE(a.rescheduled_at, -1)
         AND ri.reply_id = (SELECT MAX(x.reply_id) FROM reply_intents x WHERE x.appointment_id = ri.appointment_id)`,
    ).all(JSON.stringify(ids)) as (Omit<AppointmentReplyView, 'open'> & { open: 0 | 1 })[]
  ).map((r) => ({ ...r, open: r.open === 1 }));
}

/** The failed reminder (for the current time, not resent) of each appointment that has one. */
export function failedRemindersOf(
  db: Db,
  ids: readonly number[],
): { appointmentId: number; messageId: number; reason: string | null }[] {
  return prepared(
    db,
    `SELECT a.id AS appointmentId, m.id AS messageId, m.last_error_reason AS reason
     FROM appointments a JOIN messages m ON m.id IN (${failedReminderOf})
     WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id, m.id DESC`,
  ).all(JSON.stringify(ids)) as { appointmentId: number; messageId: number; reason: string | null }[];
}

/** Active appointments of a patient starting within `withinMs` of a moment, at any site. */
export function patientAppointmentsNear(
  db: Db,
  q: { patientId: number; startsAt: number; withinMs: number; excludeId: number | null },
): Appointment[] {
  return prepared(
    db,
    `SELECT ${appointmentColumns}
     WHERE a.patient_id = @patientId AND ${active} AND a.starts_at > @startsAt - @withinMs
       AND a.starts_at < @startsAt + @withinMs AND (@excludeId IS NULL OR a.id <> @excludeId)
     ORDER BY a.starts_at`,
  ).all(q) as Appointment[];
}

/** Active appointments of the same professional at the same site and the very same start (a taken slot). */
export function professionalSlotTaken(
  db: Db,
  q: { professional: string; siteId: number; startsAt: number; excludeId: number | null; patientId: number },
): Appointment[] {
  return prepared(
    db,
    `SELECT ${appointmentColumns}
     WHERE a.starts_at = @startsAt AND a.site_id = @siteId AND a.professional = @professional AND ${active}
       AND a.patient_id <> @patientId AND (@excludeId IS NULL OR a.id <> @excludeId)
     ORDER BY a.id`,
  ).all(q) as Appointment[];
}

/** The facts a reschedule decides on. */
export interface ReschedulableAppointment {
  id: number;
  siteId: number;
  patientId: number;
  startsAt: number;
  status: Appointment['status'];
  professional: string | null;
  timeZone: string;
}

export function reschedulableAppointment(db: Db, id: number): ReschedulableAppointment | undefined {
  return prepared(
    db,
    `SELECT a.id, a.site_id AS siteId, a.patient_id AS patientId, a.starts_at AS startsAt, a.status,
      a.professional, s.time_zone AS timeZone
     FROM appointments a JOIN sites s ON s.id = a.site_id WHERE a.id = ?`,
  ).get(id) as ReschedulableAppointment | undefined;
}

/**
 * Gives the appointment its new time (the trigger keeps rescheduled_at). A patient's "yes" was for the old time: a
 * confirmed appointment is booked again until they answer for the new one.
 */
export function moveAppointment(db: Db, id: number, startsAt: number, at: number): void {
  prepared(
    db,
    `UPDATE appointments SET starts_at = ?, updated_at = ?,
       status = CASE WHEN status = 'confirmed' THEN 'booked' ELSE status END
     WHERE id = ?`,
  ).run(startsAt, at, id);
}

/** The queued reminders of an appointment that announce another time than its current one. */
export function queuedRemindersForOtherTimes(db: Db, appointmentId: number, startsAt: number): number[] {
  return (
    prepared(
      db,
      `SELECT r.message_id AS id FROM reminders r JOIN messages m ON m.id = r.message_id
       WHERE r.appointment_id = ? AND m.state = 'queued' AND r.announces_starts_at <> ? ORDER BY r.message_id`,
    ).all(appointmentId, startsAt) as { id: number }[]
  ).map((r) => r.id);
}

/** A reply with what answering it needs: who wrote, about which appointment, and when. */
export interface ReplyFacts {
  replyId: number;
  appointmentId: number | null;
  patientId: number | null;
  fromPhone: string;
  receivedAt: number;
  open: boolean;
}

export function replyFacts(db: Db, replyId: number): ReplyFacts | undefined {
  const row = prepared(
    db,
    `SELECT ri.reply_id AS replyId, ri.appointment_id AS appointmentId, r.patient_id AS patientId,
      r.from_phone AS fromPhone, r.received_at AS receivedAt,
      (ri.outcome = 'attention' AND ri.attended_at IS NULL) AS open
     FROM reply_intents ri JOIN replies r ON r.id = ri.reply_id WHERE ri.reply_id = ?`,
  ).get(replyId) as (Omit<ReplyFacts, 'open'> & { open: 0 | 1 }) | undefined;
  return row ? { ...row, open: row.open === 1 } : undefined;
}

/** The patient a reply came from: the one it was matched to, else the appointment's. */
export function patientNamesByIds(db: Db, ids: readonly number[]): Map<number, string> {
  const rows = prepared(
    db,
    `SELECT id, first_names || ' ' || last_names AS name FROM patients WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The reminders of some appointments as Citas shows them (every occurrence; the newest of a slot matters). */
export function reminderViewsOf(
  db: Db,
  ids: readonly number[],
): {
  appointmentId: number;
  messageId: number;
  ruleKey: string;
  state: MessageState;
  notBefore: number;
  sentAt: number | null;
  lastErrorReason: string | null;
}[] {
  return prepared(
    db,
    `SELECT r.appointment_id AS appointmentId, r.message_id AS messageId, r.rule_key AS ruleKey, m.state,
      m.not_before AS notBefore, m.sent_at AS sentAt, m.last_error_reason AS lastErrorReason
     FROM reminders r JOIN messages m ON m.id = r.message_id
     WHERE r.appointment_id IN (SELECT value FROM json_each(?)) ORDER BY r.appointment_id, r.planned_send_at`,
  ).all(JSON.stringify(ids)) as ReturnType<typeof reminderViewsOf>;
}

/** The patient's answer (confirmed or cancelled) for each appointment's current time, with the reply's words. */
export function answersOf(
  db: Db,
  ids: readonly number[],
): { appointmentId: number; answer: 'confirmed' | 'cancelled'; at: number; replyBody: string | null }[] {
  return prepared(
    db,
    `SELECT aa.appointment_id AS appointmentId, aa.answer, aa.at, rp.body AS replyBody
     FROM appointment_answers aa
     JOIN appointments a ON a.id = aa.appointment_id AND aa.starts_at = a.starts_at
     LEFT JOIN replies rp ON rp.id = aa.reply_id
     WHERE aa.appointment_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as ReturnType<typeof answersOf>;
}

/** A reschedule done answers every open request to reschedule that appointment: they leave the replies to attend. */
export function attendRescheduleRequests(db: Db, appointmentId: number, by: string, at: number): number {
  return prepared(
    db,
    `UPDATE reply_intents SET attended_at = ?, attended_by = ?
     WHERE appointment_id = ? AND intent = 'reschedule' AND outcome = 'attention' AND attended_at IS NULL`,
  ).run(at, by, appointmentId).changes;
}
