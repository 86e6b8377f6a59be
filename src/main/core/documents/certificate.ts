import { type KeyObject, createPrivateKey, sign } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateInfo } from '../../../shared/api';
import { toDer } from './der';
import { type CertificateErrorCode, type Reason, certificateReasons } from './texts';
import { type ParsedCertificate, formatName, nameValue, parseCertificate } from './x509';

/** Ajustes warns this many days before the certificate expires. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

export type { CertificateInfo };

/** Everything the signer needs; never leaves the main process. */
export interface SigningIdentity {
  info: CertificateInfo;
  certificate: ParsedCertificate;
  /** The other certificates in the file (intermediates, root), embedded so validators can build the chain. */
  chain: ParsedCertificate[];
  /** The key in memory (from a PKCS#12), or null when it never leaves a token or smart card. */
  privateKey: KeyObject | null;
  /** 'rsa' or 'ec' (what the CMS names as signature algorithm). */
  keyType: string;
  /** SHA-256 signature of `data` (RSA PKCS#1 v1.5, or ECDSA DER-encoded), made in memory or by the token. */
  sign: (data: Buffer) => Promise<Buffer>;
}

/** An identity whose key is in memory (a PKCS#12). */
export function memoryIdentity(
  info: CertificateInfo,
  certificate: ParsedCertificate,
  chain: ParsedCertificate[],
  privateKey: KeyObject,
): SigningIdentity {
  return {
    info,
    certificate,
    chain,
    privateKey,
    keyType: privateKey.asymmetricKeyType ?? 'unknown',
    sign: async (data) => sign('sha256', data, privateKey),
  };
}

export type CertificateResult =
  | { ok: true; identity: SigningIdentity }
  | { ok: false; code: CertificateErrorCode; reason: Reason; info?: CertificateInfo };

/**
 * Opens a PKCS#12 (.p12/.pfx) and checks that it can sign at `now`: password, private key matching a certificate,
 * validity period and key usage. Both legacy (3DES/RC2, as Windows exports) and OpenSSL 3 (AES + PBKDF2) files open.
 */
export function loadCertificate(p12: Uint8Array, password: string, now: Date): CertificateResult {
  const opened = openPfx(p12, password);
  if (!opened.ok) return opened;
  const { keys, certs } = opened;
  if (keys.length === 0) return fail('no_private_key', certificateReasons.no_private_key());

  for (const privateKey of keys) {
    const certificate = certs.find((c) => c.x509.checkPrivateKey(privateKey));
    if (!certificate) continue;
    const chain = certs.filter((c) => !c.der.equals(certificate.der));
    return checkCertificate(memoryIdentity(describeCertificate(certificate, privateKey.asymmetricKeyType ?? 'unknown', now), certificate, chain, privateKey), now);
  }
  return fail('key_mismatch', certificateReasons.key_mismatch());
}

/**
 * Whether a loaded identity may sign at `now`. A long-running app loads the certificate once (PKCS#12 decryption
 * is slow) and calls this before every signature, since the certificate can expire while the app runs.
 */
export function checkCertificate(identity: SigningIdentity, now: Date): CertificateResult {
  const { certificate } = identity;
  const info = describeCertificate(certificate, identity.keyType, now);
  const kind = identity.keyType;
  if (kind !== 'rsa' && kind !== 'ec') return fail('unsupported_key', certificateReasons.unsupported_key(kind), info);
  if (now < certificate.notBefore) {
    return fail('not_yet_valid', certificateReasons.not_yet_valid(certificate.notBefore), info);
  }
  if (now > certificate.notAfter) return fail('expired', certificateReasons.expired(certificate.notAfter), info);
  const usage = certificate.keyUsage;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation) {
    return fail('no_signing_usage', certificateReasons.no_signing_usage(), info);
  }
  return { ok: true, identity: { ...identity, info } };
}

function fail(code: CertificateErrorCode, reason: Reason, info?: CertificateInfo): CertificateResult {
  return info ? { ok: false, code, reason, info } : { ok: false, code, reason };
}

export function describeCertificate(cert: ParsedCertificate, keyType: string, now: Date): CertificateInfo {
  const expiresInDays = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY_MS);
  return {
    subject: {
      commonName: nameValue(cert.subject, 'CN') ?? null,
      organization: nameValue(cert.subject, 'O') ?? null,
      // Peruvian certificates carry the DNI/RUC here.
      serialNumber: nameValue(cert.subject, 'serialNumber') ?? null,
      dn: formatName(cert.subject),
    },
    issuer: {
      commonName: nameValue(cert.issuer, 'CN') ?? null,
      organization: nameValue(cert.issuer, 'O') ?? null,
      dn: formatName(cert.issuer),
    },
    serial: cert.serialHex,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    expiresInDays,
    expiringSoon: now >= cert.notBefore && now <= cert.notAfter && expiresInDays < EXPIRY_WARNING_DAYS,
    fingerprintSha256: cert.sha256.toString('hex').toUpperCase(),
    keyType,
  };
}

type Opened =
  | { ok: true; keys: KeyObject[]; certs: ParsedCertificate[] }
  | { ok: false; code: CertificateErrorCode; reason: Reason };

function openPfx(p12: Uint8Array, password: string): Opened {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(Buffer.from(p12).toString('binary'));
  } catch (err) {
    return { ok: false, code: 'unreadable', reason: certificateReasons.unreadable(message(err)) };
  }
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = decodePfx(asn1, password);
  } catch (err) {
    // forge says "Invalid password?" / "wrong password?" when the MAC or the key bag do not open.
    if (/password|decrypt/i.test(message(err))) {
      return { ok: false, code: 'wrong_password', reason: certificateReasons.wrong_password() };
    }
    return { ok: false, code: 'unreadable', reason: certificateReasons.unreadable(message(err)) };
  }

  const keys: KeyObject[] = [];
  const certs: ParsedCertificate[] = [];
  try {
    for (const bag of pfx.safeContents.flatMap((c) => c.safeBags)) {
      if (bag.type === forge.pki.oids.certBag) {
        // A parsed forge certificate keeps its original TBSCertificate, so re-encoding it gives back the same DER.
        const der = bag.cert ? toDer(forge.pki.certificateToAsn1(bag.cert)) : toDer(bag.asn1);
        const parsed = parseCertificate(der);
        if (!certs.some((c) => c.der.equals(parsed.der))) certs.push(parsed);
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        // forge decodes RSA keys itself; other key types (EC) come back as the PrivateKeyInfo, which Node reads.
        keys.push(
          bag.key
            ? createPrivateKey({ key: toDer(forge.pki.privateKeyToAsn1(bag.key)), format: 'der', type: 'pkcs1' })
            : createPrivateKey({ key: toDer(bag.asn1), format: 'der', type: 'pkcs8' }),
        );
      }
    }
  } catch (err) {
    return { ok: false, code: 'unreadable', reason: certificateReasons.unreadable(message(err)) };
  }
  return { ok: true, keys, certs };
}

/**
 * The PKCS#12 MAC derives its key from the password as UTF-16 (forge does this right), but PBES2 encryption (OpenSSL 3
 * exports: AES + PBKDF2) uses the password's UTF-8 bytes, while forge feeds its string to PBKDF2 as is. So when a
 * password with "ñ" or accents passes the MAC but the contents do not decrypt, the contents are decrypted again with
 * the UTF-8 form — the MAC has already proven the password right and the data intact.
 */
function decodePfx(asn1: forge.asn1.Asn1, password: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(password);
    const macFailed = /MAC could not be verified/.test(message(err));
    const hasMac = Array.isArray(asn1.value) && asn1.value.length > 2;
    if (ascii || macFailed || !hasMac) throw err;
    const withoutMac = forge.asn1.create(asn1.tagClass, asn1.type, true, asn1.value.slice(0, 2));
    return forge.pkcs12.pkcs12FromAsn1(withoutMac, false, forge.util.encodeUtf8(password));
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
