// Attendance with its time, consent with its provenance and history, the clinic's policy after an opt-out, and "ALTA"
// as a reply intent.
export const attendanceConsent = `
-- When the appointment was marked attended or no-show, by whichever writer (clinic database, HL7 S26, Citas): kept by
-- triggers so the dashboard's attendance never depends on each writer remembering.
ALTER TABLE appointments ADD COLUMN attendance_at INTEGER;
CREATE TRIGGER appointments_attendance_insert AFTER INSERT ON appointments
WHEN NEW.status IN ('attended', 'no_show')
BEGIN
  UPDATE appointments SET attendance_at = NEW.updated_at WHERE id = NEW.id;
END;
CREATE TRIGGER appointments_attendance AFTER UPDATE OF status ON appointments
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE appointments SET attendance_at = CASE WHEN NEW.status IN ('attended', 'no_show') THEN NEW.updated_at END
  WHERE id = NEW.id;
END;
UPDATE appointments SET attendance_at = updated_at WHERE status IN ('attended', 'no_show');
CREATE INDEX appointments_attendance ON appointments(attendance_at) WHERE attendance_at IS NOT NULL;

-- Who changed a patient's consent and why, beside the status itself: every writer sets them together (NULL when it
-- does not know), and the trigger below copies them into the history.
ALTER TABLE patients ADD COLUMN consent_actor TEXT;
ALTER TABLE patients ADD COLUMN consent_reply_id INTEGER REFERENCES replies(id);
ALTER TABLE patients ADD COLUMN consent_note TEXT;

-- Every change of a patient's consent, oldest first. Written by triggers on patients, so no writer can skip it.
CREATE TABLE consent_history (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  status TEXT NOT NULL CHECK (status IN ('unknown', 'opted_in', 'opted_out')),
  source TEXT,
  at INTEGER NOT NULL,
  actor TEXT,
  reply_id INTEGER REFERENCES replies(id),
  note TEXT
);
CREATE INDEX consent_history_patient ON consent_history(patient_id, id);
CREATE TRIGGER patients_consent_insert AFTER INSERT ON patients
WHEN NEW.consent_status != 'unknown'
BEGIN
  INSERT INTO consent_history (patient_id, status, source, at, actor, reply_id, note)
  VALUES (NEW.id, NEW.consent_status, NEW.consent_source, COALESCE(NEW.consent_at, NEW.created_at), NEW.consent_actor,
    NEW.consent_reply_id, NEW.consent_note);
END;
CREATE TRIGGER patients_consent_update AFTER UPDATE OF consent_status, consent_source, consent_at ON patients
WHEN OLD.consent_status IS NOT NEW.consent_status OR OLD.consent_source IS NOT NEW.consent_source
  OR OLD.consent_at IS NOT NEW.consent_at
BEGIN
  INSERT INTO consent_history (patient_id, status, source, at, actor, reply_id, note)
  VALUES (NEW.id, NEW.consent_status, NEW.consent_source, COALESCE(NEW.consent_at, NEW.updated_at), NEW.consent_actor,
    NEW.consent_reply_id, NEW.consent_note);
END;
-- Patients from before the history: their current consent is its first entry.
INSERT INTO consent_history (patient_id, status, source, at)
SELECT id, consent_status, consent_source, COALESCE(consent_at, updated_at) FROM patients WHERE consent_status != 'unknown';

-- What still goes to a patient who opted out: what they asked for, as the clinic decides. One row.
CREATE TABLE consent_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  results_after_opt_out INTEGER NOT NULL DEFAULT 1 CHECK (results_after_opt_out IN (0, 1)),
  documents_after_opt_out INTEGER NOT NULL DEFAULT 1 CHECK (documents_after_opt_out IN (0, 1)),
  reminders_after_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (reminders_after_opt_out IN (0, 1)),
  updated_at INTEGER NOT NULL
);
INSERT INTO consent_policy (id, updated_at) VALUES (1, 0);

-- "ALTA": the patient opts back in by message. The intent list is a CHECK, so the table is rebuilt.
CREATE TABLE reply_intents_new (
  reply_id INTEGER PRIMARY KEY REFERENCES replies(id),
  appointment_id INTEGER REFERENCES appointments(id),
  intent TEXT NOT NULL CHECK (intent IN ('confirm', 'cancel', 'reschedule', 'opt_out', 'opt_in', 'unknown')),
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'attention')),
  reason TEXT,
  at INTEGER NOT NULL,
  attended_at INTEGER,
  attended_by TEXT
);
INSERT INTO reply_intents_new SELECT reply_id, appointment_id, intent, outcome, reason, at, attended_at, attended_by
FROM reply_intents;
DROP TABLE reply_intents;
ALTER TABLE reply_intents_new RENAME TO reply_intents;
CREATE INDEX reply_intents_appointment ON reply_intents(appointment_id);
CREATE INDEX reply_intents_open ON reply_intents(at) WHERE outcome = 'attention' AND attended_at IS NULL;
`;
