// Result links and dismissal: the link a message's URL button opens, each synced template's URL button, and
// results.status 'dismissed' (a person took the item off the list; it is no longer waiting for review).
export const resultLinks = `
ALTER TABLE messages ADD COLUMN link_url TEXT;

-- The first URL button of a template as Meta holds it, e.g. https://portal.clinica.pe/r/{{1}}: Avisa fills the
-- dynamic suffix from the message's link.
ALTER TABLE templates ADD COLUMN url_button_index INTEGER;
ALTER TABLE templates ADD COLUMN url_button_url TEXT;

-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns, in the same order.
CREATE TABLE results_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'result' CHECK (kind IN ('result', 'certificate', 'attestation', 'receipt')),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  site_id INTEGER REFERENCES sites(id),
  service_id INTEGER REFERENCES services(id),
  source TEXT NOT NULL,
  source_key TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  accession_number TEXT,
  study_uid TEXT,
  file_path TEXT,
  sha256 TEXT,
  signed INTEGER NOT NULL DEFAULT 0,
  approved_at INTEGER,
  approved_by TEXT,
  status TEXT NOT NULL DEFAULT 'pending_review'
    CHECK (status IN ('pending_review', 'approved', 'queued', 'sent', 'dismissed')),
  review_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  manual_approved_at INTEGER,
  manual_approved_by TEXT,
  signed_at INTEGER,
  signature_level TEXT,
  verification_code TEXT
);
INSERT INTO results_new SELECT id, kind, patient_id, site_id, service_id, source, source_key, title, accession_number,
  study_uid, file_path, sha256, signed, approved_at, approved_by, status, review_reason, created_at, updated_at,
  manual_approved_at, manual_approved_by, signed_at, signature_level, verification_code FROM results;
DROP TABLE results;
ALTER TABLE results_new RENAME TO results;
CREATE INDEX results_status ON results(status);
UPDATE results SET status = 'dismissed'
  WHERE status = 'pending_review' AND id IN (SELECT result_id FROM result_intake WHERE dismissed_at IS NOT NULL);
`;
