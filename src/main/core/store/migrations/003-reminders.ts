// Reminder rules per site and service, quiet hours, and planning bookkeeping.
export const reminders = `
-- rule_key names a reminder slot ("24h", "2h") and is part of each message's idempotency key
-- (reminder:<appointment>:<rule_key>), so it never changes once created. site_id / service_id NULL mean "any".
-- For one appointment and one key, the most specific enabled-or-disabled rule wins: a disabled site rule switches a
-- general rule off for that site.
CREATE TABLE reminder_rules (
  id INTEGER PRIMARY KEY,
  rule_key TEXT NOT NULL CHECK (length(rule_key) BETWEEN 1 AND 20 AND rule_key NOT GLOB '*[^0-9a-z_-]*'),
  site_id INTEGER REFERENCES sites(id) ON DELETE CASCADE,
  service_id INTEGER REFERENCES services(id) ON DELETE CASCADE,
  lead_minutes INTEGER NOT NULL CHECK (lead_minutes BETWEEN 1 AND 43200),
  template_name TEXT NOT NULL CHECK (length(template_name) > 0),
  template_language TEXT NOT NULL DEFAULT 'es',
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX reminder_rules_scope ON reminder_rules(rule_key, IFNULL(site_id, 0), IFNULL(service_id, 0));

-- Times of day are minutes after local midnight in the site's zone. The row with site_id NULL holds the defaults for
-- every site without a row of its own. Quiet hours NULL: none.
CREATE TABLE reminder_settings (
  site_id INTEGER REFERENCES sites(id) ON DELETE CASCADE,
  quiet_start_minute INTEGER CHECK (quiet_start_minute BETWEEN 0 AND 1439),
  quiet_end_minute INTEGER CHECK (quiet_end_minute BETWEEN 0 AND 1439),
  -- A reminder due sooner than this after the booking is skipped: the patient has just booked.
  min_lead_minutes INTEGER NOT NULL DEFAULT 30 CHECK (min_lead_minutes BETWEEN 0 AND 10080),
  -- After downtime a missed reminder still goes if the appointment is at least this far ahead; otherwise it expires.
  catch_up_min_before_minutes INTEGER NOT NULL DEFAULT 60 CHECK (catch_up_min_before_minutes BETWEEN 0 AND 10080),
  updated_at INTEGER NOT NULL,
  CHECK ((quiet_start_minute IS NULL) = (quiet_end_minute IS NULL))
);
CREATE UNIQUE INDEX reminder_settings_site ON reminder_settings(IFNULL(site_id, 0));

-- One row per reminder message: which appointment time it announces (a reschedule after it went out needs a new one),
-- when the planner wanted it to go (the dispatcher and the catch-up may move not_before later), and why the planner
-- withdrew it (NULL when a person cancelled it: then it is never planned again for the same time).
CREATE TABLE reminders (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  rule_key TEXT NOT NULL,
  occurrence INTEGER NOT NULL,
  announces_starts_at INTEGER NOT NULL,
  planned_send_at INTEGER NOT NULL,
  withdrawn_code TEXT,
  caught_up_at INTEGER,
  UNIQUE (appointment_id, rule_key, occurrence)
);

-- Why an appointment gets fewer reminders than its rules say, for a receptionist to see (and fix when it is a
-- problem: no phone, no consent). rule_key '*' concerns every reminder of the appointment.
CREATE TABLE planning_issues (
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  rule_key TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('problem', 'info')),
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (appointment_id, rule_key)
) WITHOUT ROWID;
CREATE INDEX planning_issues_severity ON planning_issues(severity, at);

-- The patient's answer, kept apart from appointments.status, which the clinic's source owns and may rewrite on every
-- read: a cancellation by the patient holds for the time it answered, whatever the source says until written back.
CREATE TABLE appointment_answers (
  appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
  answer TEXT NOT NULL CHECK (answer IN ('confirmed', 'cancelled')),
  starts_at INTEGER NOT NULL,
  reply_id INTEGER REFERENCES replies(id),
  at INTEGER NOT NULL,
  -- The answer still to be written to the clinic's database (when configured): a durable queue, so a crash between
  -- the answer and the write-back loses nothing.
  written_back_at INTEGER,
  write_back_error TEXT
);
CREATE INDEX appointment_answers_pending ON appointment_answers(at) WHERE written_back_at IS NULL;

-- What each inbound reply was understood as and what Avisa did with it; 'attention' rows are the receptionist's
-- queue of replies to attend.
CREATE TABLE reply_intents (
  reply_id INTEGER PRIMARY KEY REFERENCES replies(id),
  appointment_id INTEGER REFERENCES appointments(id),
  intent TEXT NOT NULL CHECK (intent IN ('confirm', 'cancel', 'reschedule', 'opt_out', 'unknown')),
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'attention')),
  reason TEXT,
  at INTEGER NOT NULL,
  attended_at INTEGER,
  attended_by TEXT
);
CREATE INDEX reply_intents_appointment ON reply_intents(appointment_id);
CREATE INDEX reply_intents_open ON reply_intents(at) WHERE outcome = 'attention' AND attended_at IS NULL;

-- When an appointment last got a new time: a reschedule is a new booking for the minimum lead, and a reminder whose
-- moment came before it was never missed, only too late. Kept by a trigger so every writer of appointments keeps it.
ALTER TABLE appointments ADD COLUMN rescheduled_at INTEGER;
CREATE TRIGGER appointments_rescheduled AFTER UPDATE OF starts_at ON appointments
WHEN OLD.starts_at IS NOT NEW.starts_at
BEGIN
  UPDATE appointments SET rescheduled_at = NEW.updated_at WHERE id = NEW.id;
END;
CREATE INDEX appointments_patient ON appointments(patient_id);

INSERT INTO reminder_settings (site_id, quiet_start_minute, quiet_end_minute, min_lead_minutes,
  catch_up_min_before_minutes, updated_at)
VALUES (NULL, 1260, 420, 30, 60, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

INSERT INTO reminder_rules (rule_key, site_id, service_id, lead_minutes, template_name, created_at, updated_at)
VALUES
  ('24h', NULL, NULL, 1440, 'recordatorio_cita', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
    CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('2h', NULL, NULL, 120, 'recordatorio_cita', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
    CAST(strftime('%s', 'now') AS INTEGER) * 1000);
`;
