import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

// A throw-away certificate hierarchy made at test time (nothing private is committed): a CA, signers valid / expired /
// not yet valid, a TSA, and PKCS#12 files written both by node-forge (legacy 3DES, as Windows exports) and by the
// openssl CLI (OpenSSL 3 defaults: AES-256 + PBKDF2 + SHA-256 MAC).

export interface Party {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  cn: string;
  o?: string;
  notBefore: Date;
  notAfter: Date;
  /** Default: digitalSignature + nonRepudiation. */
  keyUsage?: { digitalSignature?: boolean; nonRepudiation?: boolean; keyEncipherment?: boolean };
  timeStamping?: boolean;
  /** Authority Information Access: where the OCSP responder for this certificate answers. */
  ocspUrl?: string;
  /** CRL Distribution Points: where the issuer's CRL is published. */
  crlUrl?: string;
}

const DAY = 86_400_000;

export function days(from: Date, n: number): Date {
  return new Date(from.getTime() + n * DAY);
}

function rsaKey(): { key: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), keyPem };
}

function name(cn: string, o?: string): forge.pki.CertificateField[] {
  // UTF8String so names with accents survive as they do in real certificates.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const fields: forge.pki.CertificateField[] = [{ shortName: 'C', value: 'PE' }];
  if (o) fields.push({ shortName: 'O', value: o, valueTagClass: utf8 });
  fields.push({ shortName: 'CN', value: cn, valueTagClass: utf8 });
  return fields;
}

function serial(): string {
  const bytes = randomBytes(12);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01; // positive, and no leading zero byte
  return bytes.toString('hex');
}

export function makeCa(cn = 'Avisa Test Root CA', now = new Date()): Party {
  const { key, publicKey, keyPem } = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = days(now, -3650);
  cert.validity.notAfter = days(now, 3650);
  cert.setSubject(name(cn, 'Avisa Pruebas'));
  cert.setIssuer(name(cn, 'Avisa Pruebas'));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { key, cert, certPem: forge.pki.certificateToPem(cert), keyPem };
}

export function issue(ca: Party, options: IssueOptions): Party {
  const { key, publicKey, keyPem } = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject(name(options.cn, options.o));
  cert.setIssuer(ca.cert.subject.attributes);
  const usage = options.keyUsage ?? { digitalSignature: true, nonRepudiation: true };
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, ...usage },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (options.timeStamping) extensions.push({ name: 'extKeyUsage', critical: true, timeStamping: true });
  if (options.ocspUrl) {
    const { asn1 } = forge;
    const access = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.3.6.1.5.5.7.48.1').getBytes()),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, options.ocspUrl),
      ]),
    ]);
    extensions.push({ id: '1.3.6.1.5.5.7.1.1', value: access });
  }
  if (options.crlUrl) extensions.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: options.crlUrl }] });
  cert.setExtensions(extensions);
  cert.sign(ca.key, forge.md.sha256.create());
  return { key, cert, certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** PKCS#12 as node-forge writes it; '3des' is what Windows' legacy export produces. */
export function forgeP12(leaf: Party, chain: Party[], password: string, algorithm: '3des' | 'aes256' = '3des'): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(leaf.key, [leaf.cert, ...chain.map((c) => c.cert)], password, {
    algorithm,
    friendlyName: 'firma',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** PKCS#12 as the openssl CLI writes it (OpenSSL 3 defaults unless `legacy`). */
export function opensslP12(dir: string, leaf: { certPem: string; keyPem: string }, chain: Party[], password: string): Buffer {
  const tag = randomBytes(4).toString('hex');
  const certFile = join(dir, `${tag}-cert.pem`);
  const keyFile = join(dir, `${tag}-key.pem`);
  const chainFile = join(dir, `${tag}-chain.pem`);
  const out = join(dir, `${tag}.p12`);
  writeFileSync(certFile, leaf.certPem);
  writeFileSync(keyFile, leaf.keyPem);
  writeFileSync(chainFile, chain.map((c) => c.certPem).join(''));
  const args = ['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-out', out, '-passout', `pass:${password}`];
  if (chain.length) args.push('-certfile', chainFile);
  execFileSync('openssl', args);
  return readFileSync(out);
}

/** An ECDSA P-256 signer issued by the CA through the openssl CLI (forge cannot make EC certificates). */
export function ecSigner(dir: string, ca: Party, cn: string): { certPem: string; keyPem: string } {
  const tag = randomBytes(4).toString('hex');
  const f = (n: string): string => join(dir, `${tag}-${n}`);
  writeFileSync(f('ca.pem'), ca.certPem);
  writeFileSync(f('ca.key'), ca.keyPem);
  writeFileSync(
    f('ext.cnf'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\n',
  );
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ec.key')]);
  execFileSync('openssl', ['req', '-new', '-key', f('ec.key'), '-subj', `/C=PE/CN=${cn}`, '-out', f('ec.csr')]);
  execFileSync('openssl', [
    'x509', '-req', '-in', f('ec.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-days', '30', '-sha256', '-extfile', f('ext.cnf'), '-out', f('ec.pem'),
  ]);
  return { certPem: readFileSync(f('ec.pem'), 'utf8'), keyPem: readFileSync(f('ec.key'), 'utf8') };
}
