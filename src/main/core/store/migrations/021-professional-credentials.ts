// A health professional's own signing credential, linked to their person: a token or smart card (its PKCS#11 module,
// the token's serial, the certificate's CKA_ID) or a PKCS#12 file, kept encrypted like every secret. The PIN or the
// file's password is never stored: the professional types it when they sign.
export const professionalCredentials = `
CREATE TABLE professional_credentials (
  person_id INTEGER PRIMARY KEY REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('token', 'p12')),
  module_path TEXT,
  token_serial TEXT,
  certificate_id TEXT,
  p12_sealed BLOB,
  subject TEXT NOT NULL,
  not_after TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((kind = 'token' AND module_path IS NOT NULL AND token_serial IS NOT NULL AND certificate_id IS NOT NULL)
      OR (kind = 'p12' AND p12_sealed IS NOT NULL))
);
`;
