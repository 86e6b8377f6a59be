import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';
import type { RemoteAccessView } from '../../../shared/api';

// Server mode beyond loopback speaks HTTPS only. A clinic with its own certificate gives its paths; otherwise Avisa
// makes a self-signed one at first start, keeps it in the data folder, and prints its fingerprint so the person who
// opens the browser can compare it with what the browser shows before trusting it.

export const TLS_CERT_FILE = 'tls-cert.pem';
export const TLS_KEY_FILE = 'tls-key.pem';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** SHA-256 fingerprint as browsers show it (AA:BB:…). */
  fingerprint: string;
  /** Made just now, at this start. */
  generated: boolean;
  /** Avisa's own self-signed certificate (made now or at an earlier start), not the clinic's. */
  selfSigned: boolean;
  /** Where the certificate (PEM) is: the clinic's path, or the one Avisa keeps in the data folder. */
  certFile: string;
}

export function loadOrCreateTlsCertificate(
  dataDir: string,
  o: { certPath?: string; keyPath?: string; names: string[]; now?: () => number },
): TlsMaterial {
  if (o.certPath || o.keyPath) {
    if (!o.certPath || !o.keyPath) throw new Error('Give both the certificate and its key (--tls-cert and --tls-key).');
    const cert = readFileSync(o.certPath, 'utf8');
    const key = readFileSync(o.keyPath, 'utf8');
    return { cert, key, fingerprint: fingerprintOf(cert), generated: false, selfSigned: false, certFile: o.certPath };
  }
  const certFile = join(dataDir, TLS_CERT_FILE);
  const keyFile = join(dataDir, TLS_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: fingerprintOf(cert), generated: false, selfSigned: true, certFile };
  }
  const { cert, key } = selfSigned(o.names, new Date((o.now ?? Date.now)()));
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, cert, { mode: 0o600 });
  return { cert, key, fingerprint: fingerprintOf(cert), generated: true, selfSigned: true, certFile };
}

/** What the core is told about the certificate server mode serves (never the key). */
export type ServedCertificate = Pick<TlsMaterial, 'fingerprint' | 'selfSigned' | 'certFile'>;

/**
 * Ajustes → Acceso remoto: the certificate as it is on disk now (a clinic may renew theirs while Avisa runs), with
 * what was served at start when the file cannot be read.
 */
export function servedCertificateView(served: ServedCertificate | null): RemoteAccessView {
  if (!served) return { https: false };
  let fingerprint = served.fingerprint;
  let validTo = '';
  let names: string[] = [];
  try {
    const x509 = new X509Certificate(readFileSync(served.certFile));
    fingerprint = x509.fingerprint256;
    validTo = new Date(x509.validTo).toISOString();
    names = (x509.subjectAltName ?? '')
      .split(', ')
      .map((n) => n.replace(/^(DNS|IP Address):/, ''))
      .filter(Boolean);
  } catch {
    // Moved or unreadable since start: the fingerprint served then is still the one browsers see.
  }
  return { https: true, selfSigned: served.selfSigned, fingerprintSha256: fingerprint, certFile: served.certFile, validTo, names };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function selfSigned(names: string[], now: Date): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(12);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 825 * 86_400_000);
  const subject = [{ shortName: 'CN', value: `Avisa ${names[0] ?? 'server'}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const altNames = [...new Set(names)].map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}
