// Roll-up tables behind the Panel, so its figures read a few thousand rows instead of a million messages.
//
// Everything here is frozen once shipped (append-only migrations): the latency scale, the column names and the
// trigger text. A different scale needs a new migration that rebuilds the tables.

/**
 * Upper bounds (ms) of the latency buckets; bucket i holds latencies in [bound[i-1], bound[i]), the last one holds
 * everything from 7 days on. A median read from these buckets is exact to the bucket: the Panel reports the bucket
 * the true median falls in (e.g. "between 2 and 3 minutes"), never an interpolated figure. Steps are at most 2×,
 * finer where receptionists look (seconds to deliver, minutes to hours to read).
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([
  1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000,
  120_000, 180_000, 300_000, 600_000, 900_000, 1_200_000, 1_800_000, 2_700_000, 3_600_000,
  5_400_000, 7_200_000, 10_800_000, 14_400_000, 21_600_000, 28_800_000, 43_200_000, 64_800_000, 86_400_000,
  172_800_000, 259_200_000, 604_800_000,
]);
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

export const PANEL_STATES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown'] as const;

const buckets = Array.from({ length: LATENCY_BUCKETS }, (_, i) => i);
/** The counter columns of panel_daily, in order. */
export const PANEL_COUNTERS: readonly string[] = Object.freeze([
  'total',
  ...PANEL_STATES.map((s) => `s_${s}`),
  'replied',
  ...buckets.map((i) => `d${i}`),
  ...buckets.map((i) => `r${i}`),
]);

const bucketOf = (latency: string) =>
  `CASE WHEN ${latency} IS NULL THEN NULL ${LATENCY_BOUNDS_MS.map((b, i) => `WHEN ${latency} < ${b} THEN ${i}`).join(' ')} ELSE ${LATENCY_BUCKETS - 1} END`;

// The moment a message counts on: when it went out, or when it was due to (queued, expired, failed before sending).
// Counting on created_at would put a reminder planned two days ahead on the day it was planned.
const momentOf = (r: string) => `COALESCE(${r}.sent_at, ${r}.not_before)`;
// The clinic's calendar day of that moment; panel_clock holds the zone's UTC offsets (with their changes, for zones
// with summer time), written by the application from the clinic's IANA zone.
const dayOf = (r: string) =>
  `date((${momentOf(r)} + 60000 * IFNULL((SELECT offset_minutes FROM panel_clock WHERE since <= ${momentOf(r)}
    ORDER BY since DESC LIMIT 1), 0)) / 1000.0, 'unixepoch')`;
const keyOf = (r: string) => `${dayOf(r)}, IFNULL(${r}.site_id, 0), IFNULL(${r}.service_id, 0), ${r}.kind, ${r}.channel`;
const KEY = 'day, site_id, service_id, kind, channel';
const repliedOf = (r: string) => `EXISTS (SELECT 1 FROM replies WHERE message_id = ${r}.id)`;
const deliveryOf = (r: string) => bucketOf(`(${r}.delivered_at - ${r}.sent_at)`);
const readOf = (r: string) => bucketOf(`(${r}.read_at - ${r}.sent_at)`);

/** The contribution of one message row (`r` is NEW or OLD) to its panel_daily row, times `sign`. */
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

function applyFailure(r: string, sign: '+' | '-'): string {
  return `INSERT INTO panel_failures (${KEY}, code, reason, n)
    SELECT ${keyOf(r)}, IFNULL(${r}.last_error_code, ''), IFNULL(${r}.last_error_reason, ''), ${sign}1
    WHERE ${r}.state = 'failed'
    ON CONFLICT (${KEY}, code, reason) DO UPDATE SET n = n + excluded.n;`;
}

/** Moves the "replied" mark of the message a reply points at by `delta`. */
const markReplied = (messageId: string, delta: string) =>
  `UPDATE panel_daily SET replied = replied + ${delta}
   WHERE (${KEY}) = (SELECT ${keyOf('m')} FROM messages m WHERE m.id = ${messageId});`;

// ---- appointments: what the reminder figures count ----
const dayAt = (at: string) =>
  `date((${at} + 60000 * IFNULL((SELECT offset_minutes FROM panel_clock WHERE since <= ${at}
    ORDER BY since DESC LIMIT 1), 0)) / 1000.0, 'unixepoch')`;
const APPOINTMENT_KEY = 'day, site_id, service_id, status, reminded, confirmed';
/** A reminder that reached WhatsApp (sent_at set) exists for the appointment. */
const remindedOf = (id: string) =>
  `EXISTS (SELECT 1 FROM messages WHERE appointment_id = ${id} AND kind = 'reminder' AND sent_at IS NOT NULL)`;
/** The patient confirmed the time the appointment has (a "yes" to an earlier time does not count). */
const confirmedOf = (id: string, startsAt: string) =>
  `EXISTS (SELECT 1 FROM appointment_answers WHERE appointment_id = ${id} AND answer = 'confirmed' AND starts_at = ${startsAt})`;

/** Adds `sign` to the row of an appointment given by its fields (`r` is NEW or OLD of appointments). */
const applyAppointmentRow = (r: string, sign: '+' | '-') =>
  `INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
   SELECT ${dayAt(`${r}.starts_at`)}, ${r}.site_id, ${r}.service_id, ${r}.status, ${remindedOf(`${r}.id`)},
     ${confirmedOf(`${r}.id`, `${r}.starts_at`)}, ${sign}1 WHERE true
   ON CONFLICT (${APPOINTMENT_KEY}) DO UPDATE SET n = n + excluded.n;`;

/** Adds `sign` to the row of appointment `id` as stored, with the given reminded and confirmed marks. */
const applyAppointmentId = (id: string, reminded: string, confirmed: string, sign: '+' | '-') =>
  `INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
   SELECT ${dayAt('a.starts_at')}, a.site_id, a.service_id, a.status, ${reminded}, ${confirmed}, ${sign}1
   FROM appointments a WHERE a.id = ${id}
   ON CONFLICT (${APPOINTMENT_KEY}) DO UPDATE SET n = n + excluded.n;`;

const sentReminders = (id: string) =>
  `(SELECT COUNT(*) FROM messages WHERE appointment_id = ${id} AND kind = 'reminder' AND sent_at IS NOT NULL)`;

const watched = ['state', 'sent_at', 'delivered_at', 'read_at', 'not_before', 'site_id', 'service_id', 'kind', 'channel',
  'last_error_code', 'last_error_reason'];

/** Recounts both roll-ups from the messages table (the migration's backfill, and a change of the clinic's zone). */
export const panelBackfill = `
INSERT INTO panel_daily (${KEY}, ${PANEL_COUNTERS.join(', ')})
SELECT ${KEY}, COUNT(*), ${PANEL_STATES.map((s) => `SUM(state = '${s}')`).join(', ')}, SUM(replied),
  ${buckets.map((i) => `SUM(IFNULL(d = ${i}, 0))`).join(', ')}, ${buckets.map((i) => `SUM(IFNULL(r = ${i}, 0))`).join(', ')}
FROM (SELECT ${dayOf('m')} AS day, IFNULL(m.site_id, 0) AS site_id, IFNULL(m.service_id, 0) AS service_id, m.kind,
  m.channel, m.state,
  ${repliedOf('m')} AS replied, ${deliveryOf('m')} AS d, ${readOf('m')} AS r FROM messages m)
GROUP BY ${KEY};
INSERT INTO panel_failures (${KEY}, code, reason, n)
SELECT ${dayOf('m')}, IFNULL(m.site_id, 0), IFNULL(m.service_id, 0), m.kind, m.channel,
  IFNULL(m.last_error_code, ''), IFNULL(m.last_error_reason, ''), COUNT(*)
FROM messages m WHERE m.state = 'failed' GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO panel_appointments (${APPOINTMENT_KEY}, n)
SELECT ${dayAt('a.starts_at')}, a.site_id, a.service_id, a.status, ${remindedOf('a.id')},
  ${confirmedOf('a.id', 'a.starts_at')}, COUNT(*)
FROM appointments a GROUP BY 1, 2, 3, 4, 5, 6;
`;

export const panel = `
-- The clinic's UTC offset from each moment on (one row per change); no row: UTC.
CREATE TABLE panel_clock (
  since INTEGER PRIMARY KEY,
  offset_minutes INTEGER NOT NULL
);
-- Which IANA zone panel_clock was written for: another zone means a recount.
CREATE TABLE panel_clock_zone (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  time_zone TEXT NOT NULL
);

-- Per clinic day × site × service × kind × channel (site/service 0 = none): messages by state, messages with a reply,
-- and histograms of time from sent to delivered (d*) and to read (r*).
CREATE TABLE panel_daily (
  day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  ${PANEL_COUNTERS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (${KEY})
) WITHOUT ROWID;

CREATE TABLE panel_failures (
  day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${KEY}, code, reason)
) WITHOUT ROWID;

-- Appointments per clinic day of their start × site × service × status, whether a reminder reached WhatsApp and
-- whether the patient confirmed that time: the reminder confirmation and no-show figures.
CREATE TABLE panel_appointments (
  day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  reminded INTEGER NOT NULL,
  confirmed INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${APPOINTMENT_KEY})
) WITHOUT ROWID;

-- Triggers keep the roll-ups in the same transaction as every write to messages and replies, whoever the writer is.
CREATE TRIGGER panel_messages_insert AFTER INSERT ON messages BEGIN
  ${applyDaily('NEW', '+')}
  ${applyFailure('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${watched.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
BEGIN
  ${applyDaily('OLD', '-')}
  ${applyFailure('OLD', '-')}
  ${applyDaily('NEW', '+')}
  ${applyFailure('NEW', '+')}
END;

CREATE TRIGGER panel_messages_delete AFTER DELETE ON messages BEGIN
  ${applyDaily('OLD', '-')}
  ${applyFailure('OLD', '-')}
END;

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

-- One answer per appointment (its primary key): before an insert there was none, after a delete there is none.
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

-- An appointment counts as reminded from its first reminder that reached WhatsApp (sent_at is set once and kept).
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

-- The triggers above ask, per appointment, whether a reminder reached WhatsApp.
CREATE INDEX panel_reminders_sent ON messages(appointment_id) WHERE kind = 'reminder' AND sent_at IS NOT NULL;

${panelBackfill}
`;
