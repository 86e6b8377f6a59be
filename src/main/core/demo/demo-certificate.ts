import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

// The demo clinic signs its documents like a real one, so "Ver PDF" shows a signed file and "Nuevo documento" works
// from the first minute. The certificate is made on this computer when the demo starts (nothing private ships with
// the app), self-signed, and says DEMOSTRACIÓN in its name so nobody mistakes it for a clinic's own.

const DAY = 86_400_000;

export interface DemoCertificate {
  /** PKCS#12 as base64, the same form Ajustes → Certificado stores. */
  base64: string;
  password: string;
}

export function makeDemoCertificate(clinicName: string, now: number): DemoCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(12);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01; // positive, no leading zero byte
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - DAY);
  cert.validity.notAfter = new Date(now + 365 * DAY);
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject: forge.pki.CertificateField[] = [
    { shortName: 'C', value: 'PE' },
    { shortName: 'O', value: `${clinicName} (DEMOSTRACIÓN)`, valueTagClass: utf8 },
    { shortName: 'CN', value: `${clinicName} (DEMOSTRACIÓN)`, valueTagClass: utf8 },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const password = randomBytes(12).toString('hex');
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des' });
  return { base64: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64'), password };
}
