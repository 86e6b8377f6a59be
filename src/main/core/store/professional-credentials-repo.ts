import { prepared, type Db } from './db';

/** Where a professional's own certificate lives: on a token (PKCS#11) or in a PKCS#12 file (encrypted by the caller). */
export type StoredProfessionalCredential = {
  personId: number;
  /** The certificate's subject CN (or DN), and its end of validity (ISO), to show without opening the credential. */
  subject: string;
  notAfter: string;
  updatedAt: number;
} & (
  | { kind: 'token'; modulePath: string; tokenSerial: string; certificateId: string; p12Sealed: null }
  | { kind: 'p12'; modulePath: null; tokenSerial: null; certificateId: null; p12Sealed: Buffer }
);

const SELECT = `SELECT person_id AS personId, kind, module_path AS modulePath, token_serial AS tokenSerial,
  certificate_id AS certificateId, p12_sealed AS p12Sealed, subject, not_after AS notAfter, updated_at AS updatedAt
  FROM professional_credentials`;

/** One credential per professional: linking another replaces the earlier one. */
export function putProfessionalCredential(db: Db, c: StoredProfessionalCredential): void {
  prepared(
    db,
    `INSERT INTO professional_credentials
       (person_id, kind, module_path, token_serial, certificate_id, p12_sealed, subject, not_after, updated_at)
     VALUES (@personId, @kind, @modulePath, @tokenSerial, @certificateId, @p12Sealed, @subject, @notAfter, @updatedAt)
     ON CONFLICT(person_id) DO UPDATE SET kind = excluded.kind, module_path = excluded.module_path,
       token_serial = excluded.token_serial, certificate_id = excluded.certificate_id, p12_sealed = excluded.p12_sealed,
       subject = excluded.subject, not_after = excluded.not_after, updated_at = excluded.updated_at`,
  ).run(c);
}

export function getProfessionalCredential(db: Db, personId: number): StoredProfessionalCredential | null {
  return (prepared(db, `${SELECT} WHERE person_id = ?`).get(personId) as StoredProfessionalCredential | undefined) ?? null;
}

export function listProfessionalCredentials(db: Db): StoredProfessionalCredential[] {
  return prepared(db, `${SELECT} ORDER BY person_id`).all() as StoredProfessionalCredential[];
}

export function removeProfessionalCredential(db: Db, personId: number): boolean {
  return prepared(db, 'DELETE FROM professional_credentials WHERE person_id = ?').run(personId).changes > 0;
}
