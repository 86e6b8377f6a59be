// All times are INTEGER milliseconds since the epoch, UTC. Local time exists only at the edges (planning, display).
export const initial = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL CHECK (length(country) = 2),
  time_zone TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  first_names TEXT NOT NULL,
  last_names TEXT NOT NULL,
  document_type TEXT NOT NULL CHECK (document_type IN ('DNI', 'CE', 'PASAPORTE')),
  document_number TEXT NOT NULL,
  medical_record_number TEXT,
  birth_date TEXT,
  phone_raw TEXT,
  phone_e164 TEXT,
  phone_error TEXT,
  email TEXT,
  language TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
  consent_status TEXT NOT NULL DEFAULT 'unknown' CHECK (consent_status IN ('unknown', 'opted_in', 'opted_out')),
  consent_source TEXT,
  consent_at INTEGER,
  site_id INTEGER REFERENCES sites(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (document_type, document_number)
);
CREATE INDEX patients_phone ON patients(phone_e164);
CREATE INDEX patients_mrn ON patients(medical_record_number);

CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  service_id INTEGER NOT NULL REFERENCES services(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  starts_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'booked'
    CHECK (status IN ('booked', 'confirmed', 'cancelled', 'attended', 'no_show')),
  source TEXT NOT NULL,
  source_key TEXT NOT NULL UNIQUE,
  professional TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX appointments_starts ON appointments(starts_at);

CREATE TABLE results (
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
    CHECK (status IN ('pending_review', 'approved', 'queued', 'sent')),
  review_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('result', 'reminder', 'document', 'campaign', 'followup', 'manual')),
  idempotency_key TEXT NOT NULL UNIQUE,
  patient_id INTEGER REFERENCES patients(id),
  site_id INTEGER REFERENCES sites(id),
  service_id INTEGER REFERENCES services(id),
  appointment_id INTEGER REFERENCES appointments(id),
  result_id INTEGER REFERENCES results(id),
  resend_of INTEGER REFERENCES messages(id),
  channel TEXT NOT NULL,
  to_phone TEXT NOT NULL,
  template_name TEXT,
  template_language TEXT,
  template_params TEXT NOT NULL DEFAULT '[]',
  body TEXT NOT NULL DEFAULT '',
  -- A PDF to send (uploaded to the provider first, since no public URL exists on premise).
  document_path TEXT,
  document_filename TEXT,
  -- Quick replies offered with the message: JSON [{ "id": "CONFIRM:12", "title": "Confirmar" }].
  buttons TEXT NOT NULL DEFAULT '[]',
  -- Set when the provider said the 24-hour window was closed: the next attempt goes as the fallback template.
  as_template INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 5,
  not_before INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown')),
  provider_id TEXT UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error_code TEXT,
  last_error_reason TEXT,
  queued_at INTEGER NOT NULL,
  sending_at INTEGER,
  sent_at INTEGER,
  delivered_at INTEGER,
  read_at INTEGER,
  failed_at INTEGER,
  expired_at INTEGER,
  cancelled_at INTEGER,
  unknown_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_due ON messages(state, not_before, priority);
CREATE INDEX messages_created ON messages(created_at);
CREATE INDEX messages_patient ON messages(patient_id);

CREATE INDEX messages_sending ON messages(state) WHERE state = 'sending';

CREATE TABLE message_events (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  state TEXT NOT NULL,
  at INTEGER NOT NULL,
  error_code TEXT,
  error_reason TEXT,
  detail TEXT
);
CREATE INDEX message_events_message ON message_events(message_id);

CREATE TABLE replies (
  id INTEGER PRIMARY KEY,
  provider_message_id TEXT NOT NULL UNIQUE,
  message_id INTEGER REFERENCES messages(id),
  patient_id INTEGER REFERENCES patients(id),
  from_phone TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX replies_message ON replies(message_id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);

-- Webhook bodies are stored as received (after the signature check) before they are answered: a crash between the
-- answer and the processing loses nothing.
CREATE TABLE webhook_inbox (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  processed_at INTEGER,
  error TEXT
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox(id) WHERE processed_at IS NULL;

CREATE TABLE templates (
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  status TEXT NOT NULL,
  category TEXT NOT NULL,
  body_params INTEGER NOT NULL,
  header_format TEXT,
  components TEXT NOT NULL,
  synced_at INTEGER NOT NULL,
  PRIMARY KEY (name, language)
);

-- Daily caps and first-contact limits count sends per channel and local day.
CREATE TABLE send_counts (
  channel TEXT NOT NULL,
  day TEXT NOT NULL,
  sent INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel, day)
);
`;
