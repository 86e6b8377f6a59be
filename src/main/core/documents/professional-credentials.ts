import { type SigningIdentity, checkCertificate, loadCertificate } from './certificate';
import type { CertificateStatus } from './certificate-cache';
import type { TokenLocation } from './pkcs11-token';
import { type TokenCredential, type UnlockResult, tokenCredential } from './token-credential';
import { type Reason, professionalReasons } from './texts';
import type { Db } from '../store/db';
import { type StoredProfessionalCredential, getProfessionalCredential } from '../store/professional-credentials-repo';

// The professionals' own signing credentials, as the document pipeline sees them: a result a professional validated is
// signed with their certificate, opened by the PIN (token) or password (.p12) they type. Neither is ever stored; what
// "kept for their session" keeps is the card's logged-in session or the opened key in memory, until they lock it, their
// session ends (people/credentials-follow-sessions.ts), the app closes, or the link changes.

export interface ProfessionalCredentials {
  /**
   * What signs a result this person validated: null when they hold no credential of their own (the site's signs);
   * otherwise the identity while it is open, or why it cannot sign now, in words that name them.
   */
  statusFor(person: { id: number; name: string }): CertificateStatus | null;
  /** One attempt with the typed PIN or password; a wrong one is reported, never retried. */
  unlock(personId: number, secret: string): Promise<UnlockResult>;
  /** A signing pass is over: closed now unless the clinic keeps it open for the professional's session. */
  release(personId: number): void;
  lock(personId: number): void;
  lockAll(): void;
  /** A PKCS#12 encrypted for storage (the file is kept; its password never is). */
  sealP12(p12: Uint8Array): Buffer;
  /** Whether the person's credential is open now (the next result they validate signs without asking). */
  isOpen(personId: number): boolean;
}

type Open = { kind: 'token'; credential: TokenCredential } | { kind: 'p12'; updatedAt: number; identity: SigningIdentity | null };

export function professionalCredentials(o: {
  db: Db;
  sealP12: (p12: Uint8Array) => Buffer;
  /** The PKCS#12 as stored (encrypted with the app's secret box) back to its bytes. */
  unsealP12: (sealed: Buffer) => Uint8Array;
  keepSession: () => boolean;
  now: () => number;
}): ProfessionalCredentials {
  const open = new Map<number, Open>();
  const stored = (personId: number): StoredProfessionalCredential | null => getProfessionalCredential(o.db, personId);
  const locationOf = (c: StoredProfessionalCredential | null): TokenLocation | null =>
    c?.kind === 'token' ? { modulePath: c.modulePath, tokenSerial: c.tokenSerial, certificateId: c.certificateId } : null;

  /** The open entry matching what is linked now; a link that changed kind drops what was open. */
  const entryFor = (personId: number, link: StoredProfessionalCredential): Open => {
    const known = open.get(personId);
    if (known?.kind === link.kind && (known.kind === 'token' || known.updatedAt === link.updatedAt)) return known;
    if (known) close(known);
    const made: Open =
      link.kind === 'token'
        ? {
            kind: 'token',
            // Kept open between results; release() decides when it closes.
            credential: tokenCredential({ location: () => locationOf(stored(personId)), keepSession: () => true, now: o.now }),
          }
        : { kind: 'p12', updatedAt: link.updatedAt, identity: null };
    open.set(personId, made);
    return made;
  };

  const close = (entry: Open): void => {
    if (entry.kind === 'token') entry.credential.lock();
    else entry.identity = null;
  };

  const lock = (personId: number): void => {
    const entry = open.get(personId);
    if (entry) close(entry);
    open.delete(personId);
  };

  return {
    statusFor(person) {
      const link = stored(person.id);
      if (!link) {
        lock(person.id);
        return null;
      }
      const entry = entryFor(person.id, link);
      const status = entry.kind === 'token' ? entry.credential.current() : p12Status(entry.identity, o.now());
      if (!status.configured || status.ok) return status;
      const reason: Reason =
        status.code === 'pin_needed' ? professionalReasons.secret_needed(person.name) : professionalReasons.unusable(person.name, status.reason);
      return { ...status, reason };
    },
    async unlock(personId, secret) {
      const link = stored(personId);
      if (!link) return { ok: false, code: 'no_token_key', reason: professionalReasons.none() };
      const entry = entryFor(personId, link);
      if (entry.kind === 'token') return entry.credential.unlock(secret);
      entry.identity = null;
      if (link.kind !== 'p12') return { ok: false, code: 'no_token_key', reason: professionalReasons.none() };
      const loaded = loadCertificate(o.unsealP12(link.p12Sealed), secret, new Date(o.now()));
      if (!loaded.ok) return { ok: false, code: loaded.code, reason: loaded.reason };
      entry.identity = loaded.identity;
      return { ok: true };
    },
    release(personId) {
      if (!o.keepSession()) lock(personId);
    },
    lock,
    lockAll() {
      for (const id of [...open.keys()]) lock(id);
    },
    sealP12: o.sealP12,
    isOpen(personId) {
      const entry = open.get(personId);
      if (!entry) return false;
      if (entry.kind === 'p12') return entry.identity !== null;
      const status = entry.credential.current();
      return status.configured && status.ok;
    },
  };
}

function p12Status(identity: SigningIdentity | null, now: number): CertificateStatus {
  if (!identity) return { configured: true, ok: false, code: 'pin_needed', reason: professionalReasons.none() };
  const checked = checkCertificate(identity, new Date(now));
  if (!checked.ok) {
    return { configured: true, ok: false, code: checked.code, reason: checked.reason, ...(checked.info ? { info: checked.info } : {}) };
  }
  return { configured: true, ok: true, info: checked.identity.info, identity: checked.identity };
}
