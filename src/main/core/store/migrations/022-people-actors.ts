// Who did it, beside what was done: every table that kept a free-text "by" ('usuario' for whoever sat at the screen)
// now also keeps the person's id, and its text column takes the person's name, as the audit trail does. Earlier rows
// keep their "usuario" and no person.
//
// And the failed sign-in counters and lockouts, kept here so that restarting the app does not lift a lockout.
export const peopleActors = `
CREATE TABLE sign_in_attempts (
  -- sha256 of 'account:person:12', 'account:document:4012…' or 'address:192.0.2.10' (hex)
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE campaigns ADD COLUMN created_by_person_id INTEGER REFERENCES people(id);
ALTER TABLE results ADD COLUMN manual_approved_person_id INTEGER REFERENCES people(id);
ALTER TABLE result_intake ADD COLUMN dismissed_person_id INTEGER REFERENCES people(id);
ALTER TABLE reply_intents ADD COLUMN attended_person_id INTEGER REFERENCES people(id);

-- The consent history is written by triggers on patients (migration 5): the person travels the same way as the actor,
-- set by every writer together with the consent.
ALTER TABLE patients ADD COLUMN consent_person_id INTEGER REFERENCES people(id);
ALTER TABLE consent_history ADD COLUMN person_id INTEGER REFERENCES people(id);
DROP TRIGGER patients_consent_insert;
DROP TRIGGER patients_consent_update;
CREATE TRIGGER patients_consent_insert AFTER INSERT ON patients
WHEN NEW.consent_status != 'unknown'
BEGIN
  INSERT INTO consent_history (patient_id, status, source, at, actor, person_id, reply_id, note)
  VALUES (NEW.id, NEW.consent_status, NEW.consent_source, COALESCE(NEW.consent_at, NEW.created_at), NEW.consent_actor,
    NEW.consent_person_id, NEW.consent_reply_id, NEW.consent_note);
END;
CREATE TRIGGER patients_consent_update AFTER UPDATE OF consent_status, consent_source, consent_at ON patients
WHEN OLD.consent_status IS NOT NEW.consent_status OR OLD.consent_source IS NOT NEW.consent_source
  OR OLD.consent_at IS NOT NEW.consent_at
BEGIN
  INSERT INTO consent_history (patient_id, status, source, at, actor, person_id, reply_id, note)
  VALUES (NEW.id, NEW.consent_status, NEW.consent_source, COALESCE(NEW.consent_at, NEW.updated_at), NEW.consent_actor,
    NEW.consent_person_id, NEW.consent_reply_id, NEW.consent_note);
END;
`;
