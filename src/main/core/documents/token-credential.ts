import { checkCertificate } from './certificate';
import type { CertificateStatus } from './certificate-cache';
import { type TokenLocation, type TokenSession, openTokenSession, tokenFailure } from './pkcs11-token';
import { type CertificateErrorCode, type Reason, tokenReasons } from './texts';

// The signing credential on a token or smart card, as the document pipeline sees it: an identity while a person's PIN
// has opened a session, otherwise the reason documents wait. The PIN itself is never kept, not even in memory: what
// "kept for the session" keeps is the card's logged-in session, until the app closes, the card is removed or a person
// locks it.

export type UnlockResult = { ok: true } | { ok: false; code: CertificateErrorCode; reason: Reason };

export interface TokenCredential {
  /** What the pipeline signs with now. */
  current(): CertificateStatus;
  /** One login attempt with the typed PIN; a wrong PIN is reported, never retried. */
  unlock(pin: string): Promise<UnlockResult>;
  /** A batch has finished: the session is closed unless the clinic keeps it for the whole session. */
  batchDone(): void;
  /** Close the session now (the person leaves, the settings change, the app quits). */
  lock(): void;
}

export function tokenCredential(o: {
  location: () => TokenLocation | null;
  /** Keep the card's session open after a batch (until lock or quit), so the next results sign without the PIN. */
  keepSession: () => boolean;
  now: () => number;
  open?: typeof openTokenSession;
}): TokenCredential {
  const open = o.open ?? openTokenSession;
  let session: { key: string; value: TokenSession } | null = null;
  /** Why the last session ended on its own (the card was removed): said until a person unlocks again. */
  let lost: { code: CertificateErrorCode; reason: Reason } | null = null;
  const keyOf = (l: TokenLocation): string => `${l.modulePath}\n${l.tokenSerial}\n${l.certificateId}`;

  const lock = (): void => {
    session?.value.close();
    session = null;
  };

  return {
    current() {
      const location = o.location();
      if (!location) return { configured: false };
      if (session && (session.key !== keyOf(location) || !session.value.alive())) {
        // The settings now name another card or certificate, or the card went away while signing.
        if (!session.value.alive()) lost = { code: 'token_missing', reason: tokenReasons.token_missing() };
        lock();
      }
      if (!session) {
        return { configured: true, ok: false, ...(lost ?? { code: 'pin_needed', reason: tokenReasons.pin_needed() }) };
      }
      const checked = checkCertificate(session.value.identity, new Date(o.now()));
      if (!checked.ok) {
        return { configured: true, ok: false, code: checked.code, reason: checked.reason, ...(checked.info ? { info: checked.info } : {}) };
      }
      return { configured: true, ok: true, info: checked.identity.info, identity: checked.identity };
    },
    async unlock(pin) {
      const location = o.location();
      if (!location) return { ok: false, code: 'no_token_key', reason: tokenReasons.no_token_key() };
      lock();
      try {
        session = { key: keyOf(location), value: await open(location, pin, new Date(o.now())) };
        lost = null;
        return { ok: true };
      } catch (err) {
        const failure = tokenFailure(err);
        return { ok: false, code: failure.code, reason: failure.reason };
      }
    },
    batchDone() {
      if (!o.keepSession()) lock();
    },
    lock,
  };
}

/** The credential the signing settings describe: a token only when the clinic chose one and picked its certificate. */
export function signingTokenCredential(
  signing: () => { credential: 'p12' | 'token'; token: TokenLocation | null; keepTokenSession: boolean },
  now: () => number,
): TokenCredential {
  return tokenCredential({
    location: () => {
      const s = signing();
      return s.credential === 'token' && s.token
        ? { modulePath: s.token.modulePath, tokenSerial: s.token.tokenSerial, certificateId: s.token.certificateId }
        : null;
    },
    keepSession: () => signing().keepTokenSession,
    now,
  });
}
