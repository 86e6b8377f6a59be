import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_WARNING_DAYS, checkCertificate, loadCertificate } from '../../src/main/core/documents/certificate';
import { type Party, days, ecSigner, forgeP12, issue, makeCa, opensslP12 } from '../helpers/pki';
import { tempDir } from '../helpers/temp';

// Whole seconds, like the certificates' own times.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const PASSWORD = 'clave-de-prueba';

let ca: Party;
let signer: Party;

beforeAll(() => {
  ca = makeCa('Avisa Test Root CA', NOW);
  signer = issue(ca, {
    cn: 'Dra. María Pérez Ñique',
    o: 'Laboratorio Clínico San José',
    notBefore: days(NOW, -10),
    notAfter: days(NOW, 365),
  });
});

describe('loadCertificate', () => {
  it('opens a legacy 3DES PKCS#12 and describes it for Ajustes', () => {
    const result = loadCertificate(forgeP12(signer, [ca], PASSWORD, '3des'), PASSWORD, NOW);
    if (!result.ok) throw new Error(result.reason.en);
    const { info, chain } = result.identity;
    expect(info.subject.commonName).toBe('Dra. María Pérez Ñique');
    expect(info.subject.organization).toBe('Laboratorio Clínico San José');
    expect(info.subject.dn).toBe('CN=Dra. María Pérez Ñique, O=Laboratorio Clínico San José, C=PE');
    expect(info.issuer.commonName).toBe('Avisa Test Root CA');
    expect(info.serial).toBe(signer.cert.serialNumber.toUpperCase());
    expect(info.notAfter).toBe(signer.cert.validity.notAfter.toISOString());
    expect(info.expiresInDays).toBe(365);
    expect(info.expiringSoon).toBe(false);
    expect(info.keyType).toBe('rsa');
    expect(info.fingerprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(chain.map((c) => c.subject.find((a) => a.type === 'CN')?.value)).toEqual(['Avisa Test Root CA']);
  });

  it('opens an OpenSSL 3 PKCS#12 (AES-256, PBKDF2, SHA-256 MAC)', () => {
    const result = loadCertificate(opensslP12(tempDir(), signer, [ca], PASSWORD), PASSWORD, NOW);
    expect(result.ok && result.identity.info.subject.commonName).toBe('Dra. María Pérez Ñique');
  });

  it('opens files whose password has Spanish letters, legacy and OpenSSL 3 alike', () => {
    const password = 'Contraseña-Clínica';
    expect(loadCertificate(forgeP12(signer, [ca], password, '3des'), password, NOW).ok).toBe(true);
    expect(loadCertificate(forgeP12(signer, [ca], password, 'aes256'), password, NOW).ok).toBe(true);
    expect(loadCertificate(opensslP12(tempDir(), signer, [ca], password), password, NOW).ok).toBe(true);
  });

  it('refuses a wrong password with a reason in Spanish and English', () => {
    for (const p12 of [forgeP12(signer, [ca], PASSWORD), opensslP12(tempDir(), signer, [ca], PASSWORD)]) {
      const result = loadCertificate(p12, 'otra-clave', NOW);
      expect(result).toMatchObject({ ok: false, code: 'wrong_password' });
      if (result.ok) return;
      expect(result.reason.es).toMatch(/Contraseña incorrecta/);
      expect(result.reason.en).toMatch(/Wrong password/);
    }
  });

  it('refuses an expired certificate, saying when it expired, and still describes it', () => {
    const expired = issue(ca, { cn: 'Vencido', notBefore: days(NOW, -400), notAfter: days(NOW, -5) });
    const result = loadCertificate(forgeP12(expired, [ca], PASSWORD), PASSWORD, NOW);
    expect(result).toMatchObject({ ok: false, code: 'expired', info: { subject: { commonName: 'Vencido' } } });
    if (result.ok) return;
    expect(result.reason.es).toMatch(/Certificado vencido/);
    expect(result.reason.es).toContain(days(NOW, -5).toISOString().slice(0, 10));
    expect(result.info?.expiresInDays).toBeLessThan(0);
  });

  it('refuses a certificate that is not valid yet', () => {
    const future = issue(ca, { cn: 'Futuro', notBefore: days(NOW, 3), notAfter: days(NOW, 300) });
    const result = loadCertificate(forgeP12(future, [ca], PASSWORD), PASSWORD, NOW);
    expect(result).toMatchObject({ ok: false, code: 'not_yet_valid' });
    if (!result.ok) expect(result.reason.es).toMatch(/aún no es válido/);
  });

  it(`warns ${EXPIRY_WARNING_DAYS} days before expiry`, () => {
    const soon = issue(ca, { cn: 'Pronto', notBefore: days(NOW, -300), notAfter: days(NOW, 20) });
    const result = loadCertificate(forgeP12(soon, [ca], PASSWORD), PASSWORD, NOW);
    expect(result.ok && result.identity.info).toMatchObject({ expiringSoon: true, expiresInDays: 20 });
  });

  it('re-checks a loaded identity at signing time (it may expire while the app runs)', () => {
    const result = loadCertificate(forgeP12(signer, [ca], PASSWORD), PASSWORD, NOW);
    if (!result.ok) throw new Error(result.reason.en);
    expect(checkCertificate(result.identity, days(NOW, 400))).toMatchObject({ ok: false, code: 'expired' });
    expect(checkCertificate(result.identity, days(NOW, 1)).ok).toBe(true);
  });

  it('refuses a file without the private key', () => {
    const asn1 = forge.pkcs12.toPkcs12Asn1(null, [signer.cert, ca.cert], PASSWORD, { algorithm: '3des' });
    const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    const result = loadCertificate(p12, PASSWORD, NOW);
    expect(result).toMatchObject({ ok: false, code: 'no_private_key' });
    if (!result.ok) expect(result.reason.es).toMatch(/no contiene la clave privada/);
  });

  it('refuses a certificate without digital-signature key usage', () => {
    const tls = issue(ca, {
      cn: 'Solo cifrado',
      notBefore: days(NOW, -1),
      notAfter: days(NOW, 100),
      keyUsage: { keyEncipherment: true },
    });
    const result = loadCertificate(forgeP12(tls, [ca], PASSWORD), PASSWORD, NOW);
    expect(result).toMatchObject({ ok: false, code: 'no_signing_usage' });
    if (!result.ok) expect(result.reason.es).toMatch(/sin uso de firma digital/);
  });

  it('says a file that is not a PKCS#12 is unreadable', () => {
    const result = loadCertificate(Buffer.from('esto no es un certificado'), PASSWORD, NOW);
    expect(result).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('opens an ECDSA certificate', () => {
    const dir = tempDir();
    const p12 = opensslP12(dir, ecSigner(dir, ca, 'Firma EC'), [ca], PASSWORD);
    // openssl starts the certificate's validity at the moment it issues it.
    const result = loadCertificate(p12, PASSWORD, new Date(Date.now() + 1000));
    expect(result.ok && result.identity.info).toMatchObject({ keyType: 'ec', subject: { commonName: 'Firma EC' } });
  });
});
