import type { AppointmentStatus, ConsentStatus, Language, MessageKind, MessageState } from '../../../shared/domain';
import { startingParams, startingWithin, type AppointmentsStarting, type StoredAppointmentFacts } from './appointments-repo';
import { prepared, type Db } from './db';

// Reminder bookkeeping beside the outbox: which appointment time each reminder announces, planning issues, the
// patient's answers. Message rows themselves are written through messages-repo.

/** An appointment (its own stored facts) with everything else planning needs, in one read. */
export interface PlanningRow extends StoredAppointmentFacts {
  /** When the appointment got its current time: created, or last rescheduled. */
  bookedAt: number;
  firstNames: string;
  phoneE164: string | null;
  phoneError: string | null;
  consent: ConsentStatus;
  consentAt: number | null;
  language: Language;
  serviceName: string;
  answer: 'confirmed' | 'cancelled' | null;
  answerStartsAt: number | null;
}

const planningSelect = `SELECT a.id, a.site_id AS siteId, a.service_id AS serviceId, a.patient_id AS patientId,
  a.starts_at AS startsAt, a.status, COALESCE(a.rescheduled_at, a.created_at) AS bookedAt, p.first_names AS firstNames,
  p.phone_e164 AS phoneE164, p.phone_error AS phoneError, p.consent_status AS consent, p.consent_at AS consentAt,
  p.language, sv.name AS serviceName,
  aa.answer, aa.starts_at AS answerStartsAt
  FROM appointments a
  JOIN patients p ON p.id = a.patient_id
  JOIN services sv ON sv.id = a.service_id
  LEFT JOIN appointment_answers aa ON aa.appointment_id = a.id`;

export function planningRow(db: Db, appointmentId: number): PlanningRow | undefined {
  return prepared(db, `${planningSelect} WHERE a.id = ?`).get(appointmentId) as PlanningRow | undefined;
}

/**
 * One page of appointments starting in [from, until), in (starts_at, id) order after the given position: planning
 * writes between pages, and better-sqlite3 cannot write while a read is still open. Walking the starts_at index keeps
 * years of past appointments out of every pass.
 */
export function planningPage(
  db: Db,
  q: { from: number; until: number; after: { startsAt: number; id: number } | null; limit: number },
): PlanningRow[] {
  // Arrays, shaped into objects here: better-sqlite3 builds row objects several times slower, and a full pass reads
  // every appointment ahead.
  const rows = prepared(
    db,
    `${planningSelect}
     WHERE a.starts_at >= @from AND a.starts_at < @until AND (a.starts_at > @from OR a.id > @afterId)
     ORDER BY a.starts_at, a.id LIMIT @limit`,
  )
    .raw(true)
    .all({
      // The index seek starts at the last page's moment; only rows at that very moment are filtered by id.
      from: Math.max(q.from, q.after?.startsAt ?? Number.MIN_SAFE_INTEGER),
      until: q.until,
      afterId: q.after?.id ?? 0,
      limit: q.limit,
    }) as PlanningTuple[];
  return rows.map(planningRowOf);
}

// The columns of planningSelect, in order.
type PlanningTuple = [
  number, number, number, number, number, AppointmentStatus, number, string, string | null, string | null,
  ConsentStatus, number | null, Language, string, 'confirmed' | 'cancelled' | null, number | null,
];

function planningRowOf(t: PlanningTuple): PlanningRow {
  return {
    id: t[0],
    siteId: t[1],
    serviceId: t[2],
    patientId: t[3],
    startsAt: t[4],
    status: t[5],
    bookedAt: t[6],
    firstNames: t[7],
    phoneE164: t[8],
    phoneError: t[9],
    consent: t[10],
    consentAt: t[11],
    language: t[12],
    serviceName: t[13],
    answer: t[14],
    answerStartsAt: t[15],
  };
}

/**
 * Everything planning reads as its configuration (rules, reminder settings, sites, the consent policy), as one text
 * that changes whenever any of it does: a planner keeps what it loaded until this differs. Contents, not only update
 * stamps, so two changes within the same millisecond or a rolled-back change are never mistaken for none.
 */
export function planningConfigFingerprint(db: Db): string {
  return (prepared(db, planningConfigSql).get() as { f: string }).f;
}

const rowsAsText = (table: string, columns: string[]) =>
  `(SELECT IFNULL(group_concat(${columns.map((c) => `quote(${c})`).join(` || ',' || `)}, ';'), '') FROM ${table})`;
const planningConfigSql = `SELECT ${[
  rowsAsText('reminder_rules', ['id', 'rule_key', 'site_id', 'service_id', 'lead_minutes', 'template_name',
    'template_language', 'enabled', 'updated_at']),
  rowsAsText('reminder_settings', ['site_id', 'quiet_start_minute', 'quiet_end_minute', 'min_lead_minutes',
    'catch_up_min_before_minutes', 'updated_at']),
  rowsAsText('sites', ['id', 'name', 'time_zone']),
  rowsAsText('consent_policy', ['results_after_opt_out', 'documents_after_opt_out', 'reminders_after_opt_out', 'updated_at']),
].join(` || '|' || `)} AS f`;

/** One appointment's reminders (planning a single change). */
export function remindersOfAppointment(db: Db, appointmentId: number): ReminderRow[] {
  return prepared(db, `${reminderSelect} WHERE r.appointment_id = ? ORDER BY r.rule_key, r.occurrence`).all(
    appointmentId,
  ) as ReminderRow[];
}

export function upcomingAppointmentIdsOfPatient(db: Db, patientId: number, from: number): number[] {
  return (
    prepared(db, 'SELECT id FROM appointments WHERE patient_id = ? AND starts_at >= ? ORDER BY id').all(patientId, from) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

/** A reminder message with its bookkeeping. */
export interface ReminderRow {
  messageId: number;
  appointmentId: number;
  ruleKey: string;
  occurrence: number;
  announcesStartsAt: number;
  plannedSendAt: number;
  withdrawnCode: string | null;
  caughtUpAt: number | null;
  state: MessageState;
  notBefore: number;
  toPhone: string;
  body: string;
  templateName: string | null;
  templateLanguage: string | null;
  templateParams: string; // JSON, compared as stored
}

const reminderSelect = `SELECT r.message_id AS messageId, r.appointment_id AS appointmentId, r.rule_key AS ruleKey,
  r.occurrence, r.announces_starts_at AS announcesStartsAt, r.planned_send_at AS plannedSendAt,
  r.withdrawn_code AS withdrawnCode, r.caught_up_at AS caughtUpAt, m.state, m.not_before AS notBefore,
  m.to_phone AS toPhone, m.body, m.template_name AS templateName, m.template_language AS templateLanguage,
  m.template_params AS templateParams
  FROM reminders r JOIN messages m ON m.id = r.message_id`;

/** Reminders of some appointments, by appointment, key and occurrence. */
export function remindersOfAppointments(db: Db, appointmentIds: readonly number[]): ReminderRow[] {
  return prepared(
    db,
    `${reminderSelect} WHERE r.appointment_id IN (SELECT value FROM json_each(?))
     ORDER BY r.appointment_id, r.rule_key, r.occurrence`,
  ).all(JSON.stringify(appointmentIds)) as ReminderRow[];
}

/** A new reminder's bookkeeping: the reminders table's own columns of a ReminderRow. */
export type NewReminder = Pick<
  ReminderRow,
  'messageId' | 'appointmentId' | 'ruleKey' | 'occurrence' | 'announcesStartsAt' | 'plannedSendAt'
>;

export function insertReminder(db: Db, r: NewReminder): void {
  prepared(
    db,
    `INSERT INTO reminders (message_id, appointment_id, rule_key, occurrence, announces_starts_at, planned_send_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    // Positional: one row per new reminder of a bulk plan, without looking each value up by name.
  ).run(r.messageId, r.appointmentId, r.ruleKey, r.occurrence, r.announcesStartsAt, r.plannedSendAt);
}

export interface ReminderContent {
  notBefore: number;
  toPhone: string;
  body: string;
  templateName: string;
  templateLanguage: string;
  templateParams: string[];
  buttons: { id: string; title: string }[];
  announcesStartsAt: number;
  plannedSendAt: number;
}

/**
 * Rewrites a reminder that is still queued (new time, new text); compare-and-set on the state, so one the dispatcher
 * took meanwhile is left alone. Returns whether it changed.
 */
export function rewriteQueuedReminder(db: Db, messageId: number, c: ReminderContent, at: number): boolean {
  const info = prepared(
    db,
    `UPDATE messages SET not_before = @notBefore, to_phone = @toPhone, body = @body, template_name = @templateName,
      template_language = @templateLanguage, template_params = @templateParams, buttons = @buttons, updated_at = @at
     WHERE id = @messageId AND state = 'queued'`,
  ).run({
    messageId,
    notBefore: c.notBefore,
    toPhone: c.toPhone,
    body: c.body,
    templateName: c.templateName,
    templateLanguage: c.templateLanguage,
    templateParams: JSON.stringify(c.templateParams),
    buttons: JSON.stringify(c.buttons),
    at,
  });
  if (info.changes !== 1) return false;
  prepared(
    db,
    `UPDATE reminders SET announces_starts_at = ?, planned_send_at = ?, caught_up_at = NULL WHERE message_id = ?`,
  ).run(c.announcesStartsAt, c.plannedSendAt, messageId);
  return true;
}

export function markReminderWithdrawn(db: Db, messageId: number, code: string): void {
  prepared(db, 'UPDATE reminders SET withdrawn_code = ? WHERE message_id = ?').run(code, messageId);
}

/** A note in a message's timeline that is not a change of state (moved to a new time, sent late on purpose). */
export function insertMessageNote(db: Db, messageId: number, state: MessageState, at: number, detail: string): void {
  prepared(db, 'INSERT INTO message_events (message_id, state, at, detail) VALUES (?, ?, ?, ?)').run(
    messageId,
    state,
    at,
    detail,
  );
}

export interface PlanningIssue {
  appointmentId: number;
  ruleKey: string; // '*': every reminder of the appointment
  code: string;
  severity: 'problem' | 'info';
  reason: string;
  at: number;
}

const planningIssueSelect = `SELECT appointment_id AS appointmentId, rule_key AS ruleKey, code, severity, reason, at
  FROM planning_issues`;

/** One appointment's planning issues. */
export function issuesOfAppointment(db: Db, appointmentId: number): PlanningIssue[] {
  return prepared(db, `${planningIssueSelect} WHERE appointment_id = ? ORDER BY rule_key`).all(appointmentId) as PlanningIssue[];
}

export function issuesOfAppointments(db: Db, appointmentIds: readonly number[]): PlanningIssue[] {
  return prepared(
    db,
    `${planningIssueSelect} WHERE appointment_id IN (SELECT value FROM json_each(?)) ORDER BY appointment_id, rule_key`,
  ).all(JSON.stringify(appointmentIds)) as PlanningIssue[];
}

export function upsertPlanningIssue(db: Db, i: PlanningIssue): void {
  prepared(
    db,
    `INSERT INTO planning_issues (appointment_id, rule_key, code, severity, reason, at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(appointment_id, rule_key) DO UPDATE SET code = excluded.code, severity = excluded.severity,
       reason = excluded.reason, at = excluded.at`,
  ).run(i.appointmentId, i.ruleKey, i.code, i.severity, i.reason, i.at);
}

export function deletePlanningIssue(db: Db, appointmentId: number, ruleKey: string): void {
  prepared(db, 'DELETE FROM planning_issues WHERE appointment_id = ? AND rule_key = ?').run(appointmentId, ruleKey);
}

/** A planning issue with the appointment it concerns. */
export type ListedPlanningIssue = PlanningIssue & { startsAt: number; patientId: number; siteId: number };

/** Issues of appointments still ahead, problems first: the receptionist's list of reminders that will not go. */
export function listPlanningIssues(
  db: Db,
  q: { from: number; severity?: 'problem' | 'info'; siteId?: number; limit: number },
): ListedPlanningIssue[] {
  return prepared(
    db,
    `SELECT i.appointment_id AS appointmentId, i.rule_key AS ruleKey, i.code, i.severity, i.reason, i.at,
      a.starts_at AS startsAt, a.patient_id AS patientId, a.site_id AS siteId
     FROM planning_issues i JOIN appointments a ON a.id = i.appointment_id
     WHERE a.starts_at >= @from AND (@severity IS NULL OR i.severity = @severity)
       AND (@siteId IS NULL OR a.site_id = @siteId)
     ORDER BY i.severity DESC, a.starts_at LIMIT @limit`,
  ).all({ from: q.from, severity: q.severity ?? null, siteId: q.siteId ?? null, limit: q.limit }) as ListedPlanningIssue[];
}

/** A queued reminder whose moment has come, with what the catch-up needs to judge it. */
export interface DueReminder {
  messageId: number;
  appointmentId: number;
  ruleKey: string;
  notBefore: number;
  plannedSendAt: number;
  caughtUpAt: number | null;
  startsAt: number;
  status: AppointmentStatus;
  answer: 'confirmed' | 'cancelled' | null;
  answerStartsAt: number | null;
  siteId: number;
  timeZone: string;
}

export function dueQueuedReminders(db: Db, now: number): DueReminder[] {
  return prepared(
    db,
    `SELECT m.id AS messageId, r.appointment_id AS appointmentId, r.rule_key AS ruleKey, m.not_before AS notBefore,
      r.planned_send_at AS plannedSendAt, r.caught_up_at AS caughtUpAt, a.starts_at AS startsAt, a.status,
      aa.answer, aa.starts_at AS answerStartsAt, a.site_id AS siteId, s.time_zone AS timeZone
     FROM messages m
     JOIN reminders r ON r.message_id = m.id
     JOIN appointments a ON a.id = r.appointment_id
     JOIN sites s ON s.id = a.site_id
     LEFT JOIN appointment_answers aa ON aa.appointment_id = a.id
     WHERE m.state = 'queued' AND m.not_before <= ?
     ORDER BY r.appointment_id, r.planned_send_at, m.id`,
  ).all(now) as DueReminder[];
}

/** Moves a due reminder to the moment it will really go, and notes that it goes late on purpose. */
export function deferLateReminder(db: Db, messageId: number, notBefore: number, at: number): boolean {
  const info = prepared(db, `UPDATE messages SET not_before = ?, updated_at = ? WHERE id = ? AND state = 'queued'`).run(
    notBefore,
    at,
    messageId,
  );
  if (info.changes !== 1) return false;
  prepared(db, 'UPDATE reminders SET caught_up_at = ? WHERE message_id = ?').run(at, messageId);
  return true;
}

// --- Replies and answers ---

/** The appointment facts a reply decides on. */
export interface AnsweredAppointment {
  id: number;
  status: AppointmentStatus;
  startsAt: number;
  patientId: number;
  phoneE164: string | null;
  source: string;
  sourceKey: string;
}

export function answeredAppointment(db: Db, appointmentId: number): AnsweredAppointment | undefined {
  return prepared(
    db,
    `SELECT a.id, a.status, a.starts_at AS startsAt, a.patient_id AS patientId, p.phone_e164 AS phoneE164, a.source,
      a.source_key AS sourceKey
     FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ?`,
  ).get(appointmentId) as AnsweredAppointment | undefined;
}

export function appointmentOfMessage(db: Db, messageId: number): number | null {
  const row = prepared(db, 'SELECT appointment_id AS id FROM messages WHERE id = ?').get(messageId) as
    | { id: number | null }
    | undefined;
  return row?.id ?? null;
}

/** Compare-and-set: only from the given status, so a concurrent change by the source is not overwritten. */
export function setAppointmentStatus(
  db: Db,
  id: number,
  from: AppointmentStatus,
  to: AppointmentStatus,
  at: number,
): boolean {
  return (
    prepared(db, 'UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, at, id, from)
      .changes === 1
  );
}

export function recordAppointmentAnswer(
  db: Db,
  a: { appointmentId: number; answer: 'confirmed' | 'cancelled'; startsAt: number; replyId: number | null; at: number },
): void {
  prepared(
    db,
    `INSERT INTO appointment_answers (appointment_id, answer, starts_at, reply_id, at)
     VALUES (@appointmentId, @answer, @startsAt, @replyId, @at)
     ON CONFLICT(appointment_id) DO UPDATE SET answer = excluded.answer, starts_at = excluded.starts_at,
       reply_id = excluded.reply_id, at = excluded.at, written_back_at = NULL, write_back_error = NULL`,
  ).run(a);
}

export type ReplyIntentName = 'confirm' | 'cancel' | 'reschedule' | 'opt_out' | 'opt_in' | 'unknown';
export type ReplyOutcome = 'applied' | 'unchanged' | 'attention';

export interface ReplyIntentRow {
  replyId: number;
  appointmentId: number | null;
  intent: ReplyIntentName;
  outcome: ReplyOutcome;
  reason: string | null;
  at: number;
}

/** Once per reply: returns false when this reply was already handled. */
export function insertReplyIntent(db: Db, r: ReplyIntentRow): boolean {
  return (
    prepared(
      db,
      `INSERT INTO reply_intents (reply_id, appointment_id, intent, outcome, reason, at)
       VALUES (@replyId, @appointmentId, @intent, @outcome, @reason, @at) ON CONFLICT(reply_id) DO NOTHING`,
    ).run(r).changes === 1
  );
}

export function replyIntentOf(db: Db, replyId: number): ReplyIntentRow | undefined {
  return prepared(
    db,
    `SELECT reply_id AS replyId, appointment_id AS appointmentId, intent, outcome, reason, at FROM reply_intents
     WHERE reply_id = ?`,
  ).get(replyId) as ReplyIntentRow | undefined;
}

/** A reply's intent with the reply itself. */
export type OpenReplyRow = ReplyIntentRow & { body: string; fromPhone: string; patientId: number | null; receivedAt: number };

/** Replies a person must read: not understood, a request to reschedule, or an answer that could not be applied. */
export function openReplies(db: Db, limit: number): OpenReplyRow[] {
  return prepared(
    db,
    `SELECT i.reply_id AS replyId, i.appointment_id AS appointmentId, i.intent, i.outcome, i.reason, i.at, r.body,
      r.from_phone AS fromPhone, r.patient_id AS patientId, r.received_at AS receivedAt
     FROM reply_intents i JOIN replies r ON r.id = i.reply_id
     WHERE i.outcome = 'attention' AND i.attended_at IS NULL ORDER BY i.at LIMIT ?`,
  ).all(limit) as OpenReplyRow[];
}

export function markReplyAttended(db: Db, replyId: number, by: string, at: number, personId: number | null = null): boolean {
  return (
    prepared(
      db,
      'UPDATE reply_intents SET attended_at = ?, attended_by = ?, attended_person_id = ? WHERE reply_id = ? AND attended_at IS NULL',
    ).run(at, by, personId, replyId).changes === 1
  );
}

export function patientIdsByPhone(db: Db, phoneE164: string): number[] {
  return (prepared(db, 'SELECT id FROM patients WHERE phone_e164 = ? ORDER BY id').all(phoneE164) as { id: number }[]).map(
    (r) => r.id,
  );
}

export function queuedMessageIdsOfPatient(db: Db, patientId: number, kinds: readonly MessageKind[]): number[] {
  return (
    prepared(db, `SELECT id, kind FROM messages WHERE patient_id = ? AND state = 'queued' ORDER BY id`).all(patientId) as {
      id: number;
      kind: MessageKind;
    }[]
  )
    .filter((r) => kinds.includes(r.kind))
    .map((r) => r.id);
}

// --- Views for the UI ---

/** Each appointment's reminders with their states, and the patient's answer: the Citas day view. */
export interface AppointmentReminderView {
  appointmentId: number;
  messageId: number;
  ruleKey: string;
  state: MessageState;
  notBefore: number;
  plannedSendAt: number;
  announcesStartsAt: number;
  lastErrorReason: string | null;
  sentAt: number | null;
  caughtUpAt: number | null;
}

export function remindersForAppointmentsStarting(db: Db, q: AppointmentsStarting): AppointmentReminderView[] {
  return prepared(
    db,
    `SELECT r.appointment_id AS appointmentId, r.message_id AS messageId, r.rule_key AS ruleKey, m.state,
      m.not_before AS notBefore, r.planned_send_at AS plannedSendAt, r.announces_starts_at AS announcesStartsAt,
      m.last_error_reason AS lastErrorReason, m.sent_at AS sentAt, r.caught_up_at AS caughtUpAt
     FROM appointments a JOIN reminders r ON r.appointment_id = a.id JOIN messages m ON m.id = r.message_id
     WHERE ${startingWithin}
     ORDER BY a.starts_at, r.appointment_id, r.planned_send_at`,
  ).all(startingParams(q)) as AppointmentReminderView[];
}

/** The patient's answer to an appointment, with the words of the reply that gave it. */
export interface AppointmentAnswerView {
  appointmentId: number;
  answer: 'confirmed' | 'cancelled';
  at: number;
  replyBody: string | null;
}

export function answersForAppointmentsStarting(db: Db, q: AppointmentsStarting): AppointmentAnswerView[] {
  return prepared(
    db,
    `SELECT aa.appointment_id AS appointmentId, aa.answer, aa.at, rp.body AS replyBody
     FROM appointments a JOIN appointment_answers aa ON aa.appointment_id = a.id
     LEFT JOIN replies rp ON rp.id = aa.reply_id
     WHERE ${startingWithin}`,
  ).all(startingParams(q)) as AppointmentAnswerView[];
}

// --- Write-back of answers to the clinic's database ---

export interface PendingWriteBack {
  appointmentId: number;
  answer: 'confirmed' | 'cancelled';
  source: string;
  sourceKey: string;
  at: number;
  writeBackError: string | null;
}

/** Answers not yet written to the clinic's database, oldest first. */
export function pendingWriteBacks(db: Db, limit: number): PendingWriteBack[] {
  return prepared(
    db,
    `SELECT aa.appointment_id AS appointmentId, aa.answer, a.source, a.source_key AS sourceKey, aa.at,
      aa.write_back_error AS writeBackError
     FROM appointment_answers aa JOIN appointments a ON a.id = aa.appointment_id
     WHERE aa.written_back_at IS NULL ORDER BY aa.at LIMIT ?`,
  ).all(limit) as PendingWriteBack[];
}

/** Records the outcome of one write-back; compare-and-set on the answer's moment, so a newer answer stays pending. */
export function markWriteBack(
  db: Db,
  appointmentId: number,
  answeredAt: number,
  result: { ok: true; at: number } | { ok: false; error: string },
): void {
  if (result.ok) {
    prepared(
      db,
      'UPDATE appointment_answers SET written_back_at = ?, write_back_error = NULL WHERE appointment_id = ? AND at = ?',
    ).run(result.at, appointmentId, answeredAt);
  } else {
    prepared(db, 'UPDATE appointment_answers SET write_back_error = ? WHERE appointment_id = ? AND at = ?').run(
      result.error,
      appointmentId,
      answeredAt,
    );
  }
}

/** When the appointment's next reminder still to come goes (queued, not yet due), or null. */
export function nextPendingReminderAt(db: Db, appointmentId: number, after: number): number | null {
  const row = prepared(
    db,
    `SELECT MIN(m.not_before) AS t FROM reminders r JOIN messages m ON m.id = r.message_id
     WHERE r.appointment_id = ? AND m.state = 'queued' AND m.not_before > ?`,
  ).get(appointmentId, after) as { t: number | null };
  return row.t;
}

/** What the dispatcher's quiet-hours check needs about a reminder about to leave. */
export interface ReminderAtDispatch {
  messageId: number;
  appointmentId: number;
  startsAt: number;
  siteId: number;
  timeZone: string;
  caughtUpAt: number | null;
  /** The moment the planner chose; how late the reminder is at dispatch counts from here. */
  plannedSendAt: number;
  /** The appointment time the reminder's text announces. */
  announcesStartsAt: number;
}

export function reminderAtDispatch(db: Db, messageId: number): ReminderAtDispatch | undefined {
  return prepared(
    db,
    `SELECT r.message_id AS messageId, r.appointment_id AS appointmentId, a.starts_at AS startsAt, a.site_id AS siteId,
      s.time_zone AS timeZone, r.caught_up_at AS caughtUpAt, r.planned_send_at AS plannedSendAt,
      r.announces_starts_at AS announcesStartsAt
     FROM reminders r JOIN appointments a ON a.id = r.appointment_id JOIN sites s ON s.id = a.site_id
     WHERE r.message_id = ?`,
  ).get(messageId) as ReminderAtDispatch | undefined;
}
