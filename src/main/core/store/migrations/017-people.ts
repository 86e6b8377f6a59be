// People who sign in (roles, a password or PIN kept only as a scrypt hash), their sessions (revocable, with idle and
// absolute expiry), API keys for the clinic's other systems (kept only as a hash), a professional's validation of a
// result, and the person behind each audit event (earlier events keep their "usuario" and no person).
export const people = `
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  document_number TEXT NOT NULL,
  roles TEXT NOT NULL,
  registry_number TEXT,
  secret_kind TEXT NOT NULL CHECK (secret_kind IN ('password', 'pin')),
  secret_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_document ON people(document_number);

CREATE TABLE person_sessions (
  id TEXT PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  transport TEXT NOT NULL CHECK (transport IN ('desktop', 'browser')),
  address TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_ms INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX person_sessions_person ON person_sessions(person_id, revoked_at);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_by INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE result_validations (
  result_id INTEGER PRIMARY KEY REFERENCES results(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  person_name TEXT NOT NULL,
  registry_number TEXT,
  validated_at INTEGER NOT NULL
);

ALTER TABLE audit_events ADD COLUMN person_id INTEGER;
`;
