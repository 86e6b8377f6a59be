// Results intake: what the sources delivered, its review state, and the signing facts of each result.
export const results = `
-- One row per source key (content hash for the shared folder, row id for a database, …): seeing it again finds this
-- row, so intake stays idempotent. A row exists before its patient is known, which results(patient_id NOT NULL) cannot
-- hold; result_id is set once the patient is matched. review_code NOT NULL means "por revisar".
CREATE TABLE result_intake (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  source_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('result', 'certificate', 'attestation', 'receipt')),
  title TEXT NOT NULL,
  -- The source's record without the document: patient data, accession, study, approval (JSON). Kept so a person can
  -- fix it and retry without the source sending it again.
  record TEXT NOT NULL DEFAULT '{}',
  original_name TEXT,
  -- Avisa's own copy of the document as received (content-addressed), so a retry does not depend on the source.
  original_file TEXT,
  original_sha256 TEXT,
  -- Where the source left its file afterwards (the shared folder's enviados/ or errores/).
  source_file TEXT,
  patient_id INTEGER REFERENCES patients(id),
  result_id INTEGER UNIQUE REFERENCES results(id),
  review_code TEXT,
  review_reason TEXT,
  dismissed_at INTEGER,
  dismissed_by TEXT,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX result_intake_review ON result_intake(received_at) WHERE review_code IS NOT NULL;

-- approved_at/by say who approved at the source (the lab); manual_* the click in Avisa when the site requires it.
ALTER TABLE results ADD COLUMN manual_approved_at INTEGER;
ALTER TABLE results ADD COLUMN manual_approved_by TEXT;
ALTER TABLE results ADD COLUMN signed_at INTEGER;
ALTER TABLE results ADD COLUMN signature_level TEXT;
ALTER TABLE results ADD COLUMN verification_code TEXT;
CREATE INDEX results_status ON results(status);
`;
