// Each site's Panel figures cut at its own midnight.
//
// Until now every roll-up row was keyed by the clinic's day (the first site's zone), so a site two hours away had its
// evening messages counted on the next day. Each roll-up row now carries two days: `day`, the clinic's (the chain-wide
// view, labelled with the clinic's zone), and `site_day`, the day in the zone of the row's own site (a view of one
// site). A message lands in one row of each; the row count grows only where the two midnights differ.
//
// Why an offset table read by the triggers, rather than the day written on the message row: a message's moment moves
// (due time, then the moment it went out) and many writers touch it (outbox, planner, catch-up, restore, raw SQL in
// tests); a trigger that reads the offset on every write covers them all in the same transaction. panel_site_clock
// holds each site's UTC offset from each moment on, with every summer-time change of 2010–2050 written in advance
// from the IANA zone (like panel_clock for the clinic), so no job has to run at a change of offset and a row written
// in January and one written in July each get the offset of their own moment. A site without rows (before the app
// writes them, or "no site") falls back to the clinic's offsets.
//
// The tables are rebuilt (their keys change) and every Panel trigger of migrations 6 and 19 is recreated with the new
// key, keeping migration 19's narrow paths. Frozen once shipped, like those two.
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, PANEL_COUNTERS, PANEL_STATES } from './006-panel';

export const buckets = Array.from({ length: LATENCY_BUCKETS }, (_, i) => i);
export const STATE_COUNTERS = ['total', ...PANEL_STATES.map((s) => `s_${s}`), 'replied'];

const bucketOf = (latency: string) =>
  `CASE WHEN ${latency} IS NULL THEN NULL ${LATENCY_BOUNDS_MS.map((b, i) => `WHEN ${latency} < ${b} THEN ${i}`).join(' ')} ELSE ${LATENCY_BUCKETS - 1} END`;

/** The clinic's offset (minutes) at moment `at`; no row: UTC. */
const clinicOffset = (at: string) =>
  `IFNULL((SELECT offset_minutes FROM panel_clock WHERE since <= ${at} ORDER BY since DESC LIMIT 1), 0)`;
/** The offset of site `site` at moment `at`; a site without rows (or none, 0) keeps the clinic's. */
const siteOffset = (site: string, at: string) =>
  `IFNULL((SELECT offset_minutes FROM panel_site_clock WHERE site_id = ${site} AND since <= ${at}
    ORDER BY since DESC LIMIT 1), ${clinicOffset(at)})`;
const dateAt = (at: string, offset: string) => `date((${at} + 60000 * ${offset}) / 1000.0, 'unixepoch')`;

// The moment a message counts on: when it went out, or when it was due to (as in migration 6).
const momentOf = (r: string) => `COALESCE(${r}.sent_at, ${r}.not_before)`;
export const siteOf = (r: string) => `IFNULL(${r}.site_id, 0)`;
export const dayOf = (r: string) => dateAt(momentOf(r), clinicOffset(momentOf(r)));
export const siteDayOf = (r: string) => dateAt(momentOf(r), siteOffset(siteOf(r), momentOf(r)));
export const keyOf = (r: string) =>
  `${dayOf(r)}, ${siteDayOf(r)}, ${siteOf(r)}, IFNULL(${r}.service_id, 0), ${r}.kind, ${r}.channel`;
export const KEY = 'day, site_day, site_id, service_id, kind, channel';
export const repliedOf = (r: string) => `EXISTS (SELECT 1 FROM replies WHERE message_id = ${r}.id)`;
export const deliveryOf = (r: string) => bucketOf(`(${r}.delivered_at - ${r}.sent_at)`);
export const readOf = (r: string) => bucketOf(`(${r}.read_at - ${r}.sent_at)`);

/** Neither delivered nor read: both latencies are NULL, so the row adds nothing to the histograms. */
export const untimed = (r: string) => `(${r}.delivered_at IS NULL AND ${r}.read_at IS NULL)`;

function applyStates(r: string, sign: '+' | '-'): string {
  const values = [`${sign}1`, ...PANEL_STATES.map((s) => `${sign}(${r}.state = '${s}')`), `${sign}${repliedOf(r)}`];
  return `INSERT INTO panel_daily (${KEY}, ${STATE_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')} WHERE true
    ON CONFLICT (${KEY}) DO UPDATE SET ${STATE_COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;
}

function applyDaily(r: string, sign: '+' | '-'): string {
  const values = [
    `${sign}1`,
    ...PANEL_STATES.map((s) => `${sign}(${r}.state = '${s}')`),
    `${sign}${repliedOf(r)}`,
    ...buckets.map((i) => `${sign}IFNULL(b.d = ${i}, 0)`),
    ...buckets.map((i) => `${sign}IFNULL(b.r = ${i}, 0)`),
  ];
  return `INSERT INTO panel_daily (${KEY}, ${PANEL_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')}
    FROM (SELECT ${deliveryOf(r)} AS d, ${readOf(r)} AS r) b WHERE true
    ON CONFLICT (${KEY}) DO UPDATE SET ${PANEL_COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;
}

export function applyFailure(r: string, sign: '+' | '-'): string {
  return `INSERT INTO panel_failures (${KEY}, code, reason, n)
    SELECT ${keyOf(r)}, IFNULL(${r}.last_error_code, ''), IFNULL(${r}.last_error_reason, ''), ${sign}1
    WHERE ${r}.state = 'failed'
    ON CONFLICT (${KEY}, code, reason) DO UPDATE SET n = n + excluded.n;`;
}

const markReplied = (messageId: string, delta: string) =>
  `UPDATE panel_daily SET replied = replied + ${delta}
   WHERE (${KEY}) = (SELECT ${keyOf('m')} FROM messages m WHERE m.id = ${messageId});`;

// ---- appointments: counted on the day of their start ----
const appointmentDays = (r: string) =>
  `${dateAt(`${r}.starts_at`, clinicOffset(`${r}.starts_at`))}, ${dateAt(`${r}.starts_at`, siteOffset(`${r}.site_id`, `${r}.starts_at`))}`;
const APPOINTMENT_KEY = 'day, site_day, site_id, service_id, status, reminded, confirmed';
const remindedOf = (id: string) =>
  `EXISTS (SELECT 1 FROM messages WHERE appointment_id = ${id} AND kind = 'reminder' AND sent_at IS NOT NULL)`;
const confirmedOf = (id: string, startsAt: string) =>
  `EXISTS (SELECT 1 FROM appointment_answers WHERE appointment_id = ${id} AND answer = 'confirmed' AND starts_at = ${startsAt})`;

const applyAppointmentRow = (r: string, sign: '+' | '-') =>
  `INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
   SELECT ${appointmentDays(r)}, ${r}.site_id, ${r}.service_id, ${r}.status, ${remindedOf(`${r}.id`)},
     ${confirmedOf(`${r}.id`, `${r}.starts_at`)}, ${sign}1 WHERE true
   ON CONFLICT (${APPOINTMENT_KEY}) DO UPDATE SET n = n + excluded.n;`;

const applyAppointmentId = (id: string, reminded: string, confirmed: string, sign: '+' | '-') =>
  `INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
   SELECT ${appointmentDays('a')}, a.site_id, a.service_id, a.status, ${reminded}, ${confirmed}, ${sign}1
   FROM appointments a WHERE a.id = ${id}
   ON CONFLICT (${APPOINTMENT_KEY}) DO UPDATE SET n = n + excluded.n;`;

const sentReminders = (id: string) =>
  `(SELECT COUNT(*) FROM messages WHERE appointment_id = ${id} AND kind = 'reminder' AND sent_at IS NOT NULL)`;

const watched = ['state', 'sent_at', 'delivered_at', 'read_at', 'not_before', 'site_id', 'service_id', 'kind', 'channel',
  'last_error_code', 'last_error_reason'];
const changed = `(${watched.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')})`;

/** Recounts panel_failures from messages (kept as it is by later migrations). */
export const failuresBackfill = `
INSERT INTO panel_failures (${KEY}, code, reason, n)
SELECT ${keyOf('m')}, IFNULL(m.last_error_code, ''), IFNULL(m.last_error_reason, ''), COUNT(*)
FROM messages m WHERE m.state = 'failed' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
`;
/** Recounts panel_appointments from appointments, their answers and sent reminders. */
export const appointmentsBackfill = `
INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
SELECT ${appointmentDays('a')}, a.site_id, a.service_id, a.status, ${remindedOf('a.id')},
  ${confirmedOf('a.id', 'a.starts_at')}, COUNT(*)
FROM appointments a GROUP BY 1, 2, 3, 4, 5, 6, 7;
`;
/** Recounts the three roll-ups from messages, replies and appointments (after a change of any zone). */
const sitePanelBackfill = `
INSERT INTO panel_daily (${KEY}, ${PANEL_COUNTERS.join(', ')})
SELECT ${KEY}, COUNT(*), ${PANEL_STATES.map((s) => `SUM(state = '${s}')`).join(', ')}, SUM(replied),
  ${buckets.map((i) => `SUM(IFNULL(d = ${i}, 0))`).join(', ')}, ${buckets.map((i) => `SUM(IFNULL(r = ${i}, 0))`).join(', ')}
FROM (SELECT ${dayOf('m')} AS day, ${siteDayOf('m')} AS site_day, ${siteOf('m')} AS site_id,
  IFNULL(m.service_id, 0) AS service_id, m.kind, m.channel, m.state,
  ${repliedOf('m')} AS replied, ${deliveryOf('m')} AS d, ${readOf('m')} AS r FROM messages m)
GROUP BY ${KEY};
${failuresBackfill}${appointmentsBackfill}`;

/** Keep `replied` of the message's panel_daily row equal to "has at least one reply" as replies come, go and move. */
export const repliesTriggers = `
CREATE TRIGGER panel_replies_insert AFTER INSERT ON replies
WHEN NEW.message_id IS NOT NULL AND (SELECT COUNT(*) FROM replies WHERE message_id = NEW.message_id) = 1
BEGIN
  ${markReplied('NEW.message_id', '1')}
END;

CREATE TRIGGER panel_replies_delete AFTER DELETE ON replies
WHEN OLD.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM replies WHERE message_id = OLD.message_id)
BEGIN
  ${markReplied('OLD.message_id', '-1')}
END;

CREATE TRIGGER panel_replies_move AFTER UPDATE OF message_id ON replies
WHEN OLD.message_id IS NOT NEW.message_id
BEGIN
  UPDATE panel_daily SET replied = replied - 1
  WHERE OLD.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM replies WHERE message_id = OLD.message_id)
    AND (${KEY}) = (SELECT ${keyOf('m')} FROM messages m WHERE m.id = OLD.message_id);
  UPDATE panel_daily SET replied = replied + 1
  WHERE NEW.message_id IS NOT NULL AND (SELECT COUNT(*) FROM replies WHERE message_id = NEW.message_id) = 1
    AND (${KEY}) = (SELECT ${keyOf('m')} FROM messages m WHERE m.id = NEW.message_id);
END;
`;

const oldTriggers = [
  // migration 6
  'panel_messages_delete', 'panel_replies_insert', 'panel_replies_delete', 'panel_replies_move',
  'panel_appointments_insert', 'panel_appointments_update', 'panel_appointments_delete',
  'panel_answers_insert', 'panel_answers_update', 'panel_answers_delete',
  'panel_reminder_insert', 'panel_reminder_sent', 'panel_reminder_delete',
  // migration 19
  'panel_messages_insert_untimed', 'panel_messages_insert_timed', 'panel_messages_insert_failed',
  'panel_messages_update_untimed', 'panel_messages_update_timed', 'panel_messages_update_failed',
];

export const sitePanelDays = `
${oldTriggers.map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n')}
DROP TABLE panel_daily;
DROP TABLE panel_failures;
DROP TABLE panel_appointments;

-- Each site's UTC offset from each moment on (one row per change), written by the application from the site's zone.
CREATE TABLE panel_site_clock (
  site_id INTEGER NOT NULL,
  since INTEGER NOT NULL,
  offset_minutes INTEGER NOT NULL,
  PRIMARY KEY (site_id, since)
) WITHOUT ROWID;
-- Which IANA zone each site's rows were written for: another zone means a recount.
CREATE TABLE panel_site_clock_zone (
  site_id INTEGER PRIMARY KEY,
  time_zone TEXT NOT NULL
);

-- day: the clinic's calendar day; site_day: the day at the row's site (the clinic's when it has none).
CREATE TABLE panel_daily (
  day TEXT NOT NULL,
  site_day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  ${PANEL_COUNTERS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (${KEY})
) WITHOUT ROWID;

CREATE TABLE panel_failures (
  day TEXT NOT NULL,
  site_day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${KEY}, code, reason)
) WITHOUT ROWID;

CREATE TABLE panel_appointments (
  day TEXT NOT NULL,
  site_day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  reminded INTEGER NOT NULL,
  confirmed INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${APPOINTMENT_KEY})
) WITHOUT ROWID;

CREATE TRIGGER panel_messages_insert_untimed AFTER INSERT ON messages
WHEN ${untimed('NEW')}
BEGIN
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_insert_timed AFTER INSERT ON messages
WHEN NOT ${untimed('NEW')}
BEGIN
  ${applyDaily('NEW', '+')}
END;

CREATE TRIGGER panel_messages_insert_failed AFTER INSERT ON messages
WHEN NEW.state = 'failed'
BEGIN
  ${applyFailure('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_untimed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND ${untimed('OLD')} AND ${untimed('NEW')}
BEGIN
  ${applyStates('OLD', '-')}
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_timed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND NOT (${untimed('OLD')} AND ${untimed('NEW')})
BEGIN
  ${applyDaily('OLD', '-')}
  ${applyDaily('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_failed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND (OLD.state = 'failed' OR NEW.state = 'failed')
BEGIN
  ${applyFailure('OLD', '-')}
  ${applyFailure('NEW', '+')}
END;

CREATE TRIGGER panel_messages_delete AFTER DELETE ON messages BEGIN
  ${applyDaily('OLD', '-')}
  ${applyFailure('OLD', '-')}
END;

${repliesTriggers}
CREATE TRIGGER panel_appointments_insert AFTER INSERT ON appointments BEGIN
  ${applyAppointmentRow('NEW', '+')}
END;

CREATE TRIGGER panel_appointments_update AFTER UPDATE OF starts_at, status, site_id, service_id ON appointments
WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.status IS NOT NEW.status OR OLD.site_id IS NOT NEW.site_id
  OR OLD.service_id IS NOT NEW.service_id
BEGIN
  ${applyAppointmentRow('OLD', '-')}
  ${applyAppointmentRow('NEW', '+')}
END;

CREATE TRIGGER panel_appointments_delete AFTER DELETE ON appointments BEGIN
  ${applyAppointmentRow('OLD', '-')}
END;

CREATE TRIGGER panel_answers_insert AFTER INSERT ON appointment_answers BEGIN
  ${applyAppointmentId('NEW.appointment_id', remindedOf('a.id'), '0', '-')}
  ${applyAppointmentId('NEW.appointment_id', remindedOf('a.id'), "(NEW.answer = 'confirmed' AND NEW.starts_at = a.starts_at)", '+')}
END;

CREATE TRIGGER panel_answers_update AFTER UPDATE OF answer, starts_at, appointment_id ON appointment_answers BEGIN
  ${applyAppointmentId('OLD.appointment_id', remindedOf('a.id'), "(OLD.answer = 'confirmed' AND OLD.starts_at = a.starts_at)", '-')}
  ${applyAppointmentId('OLD.appointment_id', remindedOf('a.id'), confirmedOf('a.id', 'a.starts_at'), '+')}
  ${applyAppointmentId('NEW.appointment_id', remindedOf('a.id'), '0', '-')}
  ${applyAppointmentId('NEW.appointment_id', remindedOf('a.id'), `(${confirmedOf('a.id', 'a.starts_at')} AND OLD.appointment_id IS NOT NEW.appointment_id)`, '+')}
END;

CREATE TRIGGER panel_answers_delete AFTER DELETE ON appointment_answers BEGIN
  ${applyAppointmentId('OLD.appointment_id', remindedOf('a.id'), "(OLD.answer = 'confirmed' AND OLD.starts_at = a.starts_at)", '-')}
  ${applyAppointmentId('OLD.appointment_id', remindedOf('a.id'), '0', '+')}
END;

CREATE TRIGGER panel_reminder_insert AFTER INSERT ON messages
WHEN NEW.kind = 'reminder' AND NEW.sent_at IS NOT NULL AND NEW.appointment_id IS NOT NULL
  AND ${sentReminders('NEW.appointment_id')} = 1
BEGIN
  ${applyAppointmentId('NEW.appointment_id', '0', confirmedOf('a.id', 'a.starts_at'), '-')}
  ${applyAppointmentId('NEW.appointment_id', '1', confirmedOf('a.id', 'a.starts_at'), '+')}
END;

CREATE TRIGGER panel_reminder_sent AFTER UPDATE OF sent_at ON messages
WHEN NEW.kind = 'reminder' AND OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL AND NEW.appointment_id IS NOT NULL
  AND ${sentReminders('NEW.appointment_id')} = 1
BEGIN
  ${applyAppointmentId('NEW.appointment_id', '0', confirmedOf('a.id', 'a.starts_at'), '-')}
  ${applyAppointmentId('NEW.appointment_id', '1', confirmedOf('a.id', 'a.starts_at'), '+')}
END;

CREATE TRIGGER panel_reminder_delete AFTER DELETE ON messages
WHEN OLD.kind = 'reminder' AND OLD.sent_at IS NOT NULL AND OLD.appointment_id IS NOT NULL
  AND ${sentReminders('OLD.appointment_id')} = 0
BEGIN
  ${applyAppointmentId('OLD.appointment_id', '1', confirmedOf('a.id', 'a.starts_at'), '-')}
  ${applyAppointmentId('OLD.appointment_id', '0', confirmedOf('a.id', 'a.starts_at'), '+')}
END;

${sitePanelBackfill}
`;
