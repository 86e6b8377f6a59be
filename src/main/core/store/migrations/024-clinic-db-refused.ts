// Appointments read from the clinic's database that Avisa could not take (a site it does not know, a local hour that
// does not exist, no way to tell the patient), kept with the reason until a person maps the site or the clinic fixes
// the row, then taken from the list. Before, they were only logged: the patient got no reminder and nobody knew why.
// Part of migration 24, with the Panel's per-site days.
export const clinicDbRefused = `
CREATE TABLE clinic_db_refused (
  id INTEGER PRIMARY KEY,
  -- The appointment's source key: the same row read again replaces what was kept, never lists it twice.
  source_key TEXT NOT NULL UNIQUE,
  received_at INTEGER NOT NULL,
  code TEXT NOT NULL,
  reason_es TEXT NOT NULL,
  reason_en TEXT NOT NULL,
  -- The normalised record as read (JSON): what "Procesar de nuevo" gives to intake again.
  record TEXT NOT NULL,
  -- Taken since (processed again from the list, or read again and accepted); then it leaves the list.
  taken_at INTEGER
);
CREATE INDEX clinic_db_refused_open ON clinic_db_refused(taken_at, received_at);
`;
