// HL7 messages answered AE or AR, kept as received with the reason: a booking refused for an unknown site (or a
// skipped local hour) waits here until a person maps the code or fixes the sender, then takes it again. Nothing read
// off the wire is lost (DESIGN invariant 9).
export const hl7Refused = `
CREATE TABLE hl7_refused (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  remote TEXT NOT NULL,
  control_id TEXT,
  message_type TEXT,
  ack TEXT NOT NULL CHECK (ack IN ('AE', 'AR')),
  code TEXT NOT NULL,
  reason_es TEXT NOT NULL,
  reason_en TEXT NOT NULL,
  raw TEXT NOT NULL,
  -- Processed again from the list and taken; then it leaves the list.
  taken_at INTEGER
);
CREATE INDEX hl7_refused_open ON hl7_refused(taken_at, received_at);
`;
