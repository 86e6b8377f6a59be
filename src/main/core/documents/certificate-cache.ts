import { createHash } from 'node:crypto';
import { type CertificateInfo, type SigningIdentity, checkCertificate, loadCertificate } from './certificate';
import { type CertificateErrorCode, type Reason, certificateReasons } from './texts';

/** The site's PKCS#12 and its password, as the settings hold them (decrypted in memory only). */
export interface CertificateSource {
  p12: Uint8Array;
  password: string;
}

/** What Ajustes shows, and what the pipeline signs with. */
export type CertificateStatus =
  | { configured: false }
  | { configured: true; ok: true; info: CertificateInfo; identity: SigningIdentity }
  | { configured: true; ok: false; code: CertificateErrorCode; reason: Reason; info?: CertificateInfo };

export interface CertificateCache {
  /** The certificate as it stands now (validity checked at `now`, so one that expires while the app runs stops). */
  current(): CertificateStatus;
  /** Forget what was loaded: the next call opens the file again (a person's "retry signing"). */
  reload(): void;
}

/** These depend on the clock, not on the file: they are not kept, so a certificate that becomes valid is used. */
const timeDependent = new Set<CertificateErrorCode>(['expired', 'not_yet_valid']);

/**
 * Opens the PKCS#12 once (decrypting it costs tens of milliseconds, too much per document) and keeps it until the
 * file or the password in the settings change, which the cache notices by itself.
 */
export function certificateCache(read: () => CertificateSource | null, now: () => number): CertificateCache {
  let kept: { key: string; status: CertificateStatus } | null = null;

  return {
    current() {
      const source = read();
      if (!source) return { configured: false };
      const key = `${createHash('sha256').update(source.p12).digest('hex')}:${source.password}`;
      if (kept?.key !== key) kept = null;
      if (kept) return recheck(kept.status, now());
      const loaded = loadCertificate(source.p12, source.password, new Date(now()));
      const status: CertificateStatus = loaded.ok
        ? { configured: true, ok: true, info: loaded.identity.info, identity: loaded.identity }
        : { configured: true, ok: false, code: loaded.code, reason: loaded.reason, ...(loaded.info ? { info: loaded.info } : {}) };
      if (loaded.ok || !timeDependent.has(loaded.code)) kept = { key, status };
      return status;
    },
    reload() {
      kept = null;
    },
  };
}

function recheck(status: CertificateStatus, at: number): CertificateStatus {
  if (!status.configured || !status.ok) return status;
  const checked = checkCertificate(status.identity, new Date(at));
  if (!checked.ok) {
    return { configured: true, ok: false, code: checked.code, reason: checked.reason, ...(checked.info ? { info: checked.info } : {}) };
  }
  return { configured: true, ok: true, info: checked.identity.info, identity: checked.identity };
}

/** What crosses to the UI (Ajustes → Certificado): never the private key. */
export type CertificateView =
  | { configured: false }
  | { configured: true; ok: true; info: CertificateInfo }
  | { configured: true; ok: false; code: CertificateErrorCode; reason: Reason; info?: CertificateInfo };

export function certificateView(status: CertificateStatus): CertificateView {
  if (!status.configured || !status.ok) return status;
  return { configured: true, ok: true, info: status.info };
}

/** A certificate a person is about to install, checked before it is saved (wrong password, expired, no key). */
export function inspectCertificate(source: CertificateSource, now: number): CertificateView {
  const loaded = loadCertificate(source.p12, source.password, new Date(now));
  if (loaded.ok) return { configured: true, ok: true, info: loaded.identity.info };
  // Nothing is saved yet: the password in question is the one just typed.
  const reason = loaded.code === 'wrong_password' ? certificateReasons.wrong_password('typed') : loaded.reason;
  return { configured: true, ok: false, code: loaded.code, reason, ...(loaded.info ? { info: loaded.info } : {}) };
}
