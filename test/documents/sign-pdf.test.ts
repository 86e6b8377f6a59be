import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ADOBE_PKCS7_DETACHED, Signer } from '@signpdf/utils';
import { PDFDocument, PDFName, degrees } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCertificate } from '../../src/main/core/documents/certificate';
import { OID } from '../../src/main/core/documents/cms';
import { child, children, contentBytes, fromDer, isContext, readOid, toDer } from '../../src/main/core/documents/der';
import { sha256Hex } from '../../src/main/core/hash';
import { type SignPdfOptions, type SignSettings, signPdf } from '../../src/main/core/documents/sign-pdf';
import { type Party, days, ecSigner, forgeP12, issue, makeCa, opensslP12 } from '../helpers/pki';
import { tempDir } from '../helpers/temp';
import { cmsPrint, extractSignature, opensslVerify, pdfsig, pdftotext, samplePdf } from './pdf-tools';
import { type LocalTsa, startLocalTsa } from './tsa-server';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const PASSWORD = 'clave-de-prueba';

let ca: Party;
let clinic: Party;
let lab: Party;
let clinicP12: Buffer;
let labP12: Buffer;
let tsa: LocalTsa;

beforeAll(async () => {
  ca = makeCa('Avisa Test Root CA', NOW);
  clinic = issue(ca, {
    cn: 'Dra. María Pérez Ñique',
    o: 'Clínica San José',
    notBefore: days(NOW, -10),
    notAfter: days(NOW, 365),
  });
  lab = issue(ca, { cn: 'Laboratorio Referencial SAC', notBefore: days(NOW, -10), notAfter: days(NOW, 365) });
  clinicP12 = forgeP12(clinic, [ca], PASSWORD);
  labP12 = opensslP12(tempDir(), lab, [ca], PASSWORD);
  const tsaParty = issue(ca, { cn: 'Avisa Test TSA', notBefore: days(NOW, -10), notAfter: days(NOW, 365), timeStamping: true });
  tsa = await startLocalTsa(tsaParty, ca);
});

afterAll(async () => {
  await tsa.close();
});

const settings: SignSettings = {
  reason: 'Resultado de laboratorio',
  location: 'Lima, Perú',
  timeZone: 'America/Lima',
  now: NOW,
};

function asClinic(extra: Partial<SignSettings> = {}): SignPdfOptions {
  return { p12: clinicP12, password: PASSWORD, ...settings, ...extra };
}

async function signed(input: Buffer, options: SignPdfOptions = asClinic()) {
  const result = await signPdf(input, options);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result;
}

function save(dir: string, name: string, bytes: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The SignerInfo of a CMS ContentInfo, and the pieces the tests look at. */
function signerInfo(cms: Buffer) {
  const signedData = child(child(fromDer(cms), 1), 0);
  const infos = children(signedData);
  const info = child(infos[infos.length - 1], 0);
  const fields = children(info);
  const attrs = (tag: number) =>
    children(fields.find((f) => isContext(f, tag))).map((a) => ({ type: readOid(child(a, 0)), value: child(child(a, 1), 0) }));
  return { signed: attrs(0), unsigned: attrs(1), signatureValue: contentBytes(fields[5]) };
}

describe.each([
  { kind: 'cross-reference stream', objectStreams: true },
  { kind: 'classic cross-reference table', objectStreams: false },
])('signPdf on a PDF with a $kind', ({ objectStreams }) => {
  it('produces a PAdES B-B signature that pdfsig and openssl validate, with a visible stamp', async () => {
    const dir = tempDir();
    const input = await samplePdf({ objectStreams });
    const result = await signed(input);
    const file = save(dir, 'signed.pdf', result.pdf);

    const { signatures, output } = pdfsig(file);
    expect(signatures, output).toHaveLength(1);
    const [sig] = signatures;
    expect(sig).toMatchObject({
      valid: true,
      type: 'ETSI.CAdES.detached',
      commonName: 'Dra. María Pérez Ñique',
      totalDocumentSigned: true,
    });
    // A private test CA is not trusted by the system; the signature itself must be valid.
    expect(sig?.certificate).toMatch(/Trusted|unknown|Valid/i);
    expect(opensslVerify(dir, result.pdf, ca.certPem)).toMatchObject({ ok: true });

    // Incremental update: the original bytes are a prefix of the signed file.
    expect(result.pdf.subarray(0, input.length).equals(input)).toBe(true);
    expect(result).toMatchObject({ level: 'B-B', signatureCount: 1, timestampedAt: null, warnings: [] });
    expect(result.sha256).toBe(sha256Hex(result.pdf));
    expect(result.sourceSha256).toBe(sha256Hex(input));
    expect(result.verificationCode).toMatch(/^[0-9A-F]{5}-[0-9A-F]{5}$/);
    expect(result.verificationCode.replace('-', '')).toBe(result.sourceSha256.slice(0, 10).toUpperCase());

    const text = pdftotext(file);
    expect(text).toContain('Firmado digitalmente por:');
    expect(text).toContain('Dra. María Pérez Ñique');
    expect(text).toContain(`Código de verificación: ${result.verificationCode}`);
    expect(text).toMatch(/Fecha: \d\d\/\d\d\/\d{4} \d\d:\d\d \(UTC-05:00\)/);
  });
});

describe('the CMS', () => {
  it('carries content-type, message-digest and ESS signing-certificate-v2 (SHA-256 of the signer certificate), no signing-time', async () => {
    const dir = tempDir();
    const result = await signed(await samplePdf());
    const { cms, signedContent } = extractSignature(result.pdf);
    const { signed: attrs } = signerInfo(cms);
    expect(attrs.map((a) => a.type).sort()).toEqual(
      [OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort(),
    );
    const digest = attrs.find((a) => a.type === OID.messageDigest)?.value;
    expect(contentBytes(digest).toString('hex')).toBe(sha256Hex(signedContent));
    // SigningCertificateV2 → certs → ESSCertIDv2 → certHash (SHA-256 is the default algorithm, so it is omitted).
    const essCertId = child(child(attrs.find((a) => a.type === OID.signingCertificateV2)?.value, 0), 0);
    const clinicDer = Buffer.from(execFileSync('openssl', ['x509', '-outform', 'DER'], { input: clinic.certPem }));
    expect(contentBytes(child(essCertId, 0)).toString('hex')).toBe(sha256Hex(clinicDer));

    const printed = cmsPrint(dir, cms);
    expect(printed).toContain('id-smime-aa-signingCertificateV2 (1.2.840.113549.1.9.16.2.47)');
    expect(printed).not.toContain('signingTime');
    // The signing time is claimed in the signature dictionary's /M, as PAdES wants.
    expect(result.pdf.toString('latin1')).toMatch(/\/M \(D:\d{14}-05'00'\)/);
    expect(pdfsig(save(dir, 's.pdf', result.pdf)).output).toContain('Signing Hash Algorithm: SHA-256');
  });
});

describe('a PDF that is already signed', () => {
  it.each([true, false])('gets a second signature by incremental update; both stay valid (object streams: %s)', async (objectStreams) => {
    const dir = tempDir();
    const byLab = await signed(await samplePdf({ objectStreams }), {
      p12: labP12,
      password: PASSWORD,
      ...settings,
      reason: 'Validación del laboratorio',
    });
    const byClinic = await signed(byLab.pdf);
    const file = save(dir, 'double.pdf', byClinic.pdf);

    const { signatures, output } = pdfsig(file);
    expect(signatures, output).toHaveLength(2);
    expect(signatures[0]).toMatchObject({ valid: true, commonName: 'Laboratorio Referencial SAC', totalDocumentSigned: false });
    expect(signatures[1]).toMatchObject({ valid: true, commonName: 'Dra. María Pérez Ñique', totalDocumentSigned: true });
    expect(byClinic.signatureCount).toBe(2);

    // The lab's signature covers exactly the file it signed, which is still the untouched prefix of the result.
    const [a = -1, b = 0, c = 0, d = 0] = extractSignature(byClinic.pdf, 0).byteRange;
    expect(a).toBe(0);
    expect(c + d).toBe(byLab.pdf.length);
    expect(b).toBeLessThan(c);
    expect(byClinic.pdf.subarray(0, byLab.pdf.length).equals(byLab.pdf)).toBe(true);
    expect(opensslVerify(dir, byClinic.pdf, ca.certPem, 0)).toMatchObject({ ok: true });
    expect(opensslVerify(dir, byClinic.pdf, ca.certPem, 1)).toMatchObject({ ok: true });

    // Both stamps are visible, one above the other.
    const text = pdftotext(file);
    expect(text).toContain(byLab.verificationCode);
    expect(text).toContain(byClinic.verificationCode);
  });

  it('keeps a signature made by another tool (placeholder-plain + openssl cms, adbe.pkcs7.detached) valid', async () => {
    const dir = tempDir();
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: await samplePdf({ objectStreams: false }),
      reason: 'Lab',
      contactInfo: 'lab@example.org',
      name: 'Laboratorio Referencial SAC',
      location: 'Lima',
      subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    });
    const byLab = await new SignPdf().sign(withPlaceholder, new OpensslCmsSigner(dir, lab));
    const byClinic = await signed(byLab);
    const { signatures, output } = pdfsig(save(dir, 'mixed.pdf', byClinic.pdf));
    expect(signatures, output).toHaveLength(2);
    expect(signatures[0]).toMatchObject({ valid: true, type: 'adbe.pkcs7.detached', totalDocumentSigned: false });
    expect(signatures[1]).toMatchObject({ valid: true, type: 'ETSI.CAdES.detached', totalDocumentSigned: true });
    expect(byClinic.pdf.subarray(0, byLab.length).equals(byLab)).toBe(true);
  });
});

/** A third-party signer: the CMS comes from `openssl cms -sign`. */
class OpensslCmsSigner extends Signer {
  constructor(
    private readonly dir: string,
    private readonly party: Party,
  ) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const f = (n: string) => join(this.dir, n);
    writeFileSync(f('content.bin'), content);
    writeFileSync(f('lab.pem'), this.party.certPem);
    writeFileSync(f('lab.key'), this.party.keyPem);
    execFileSync('openssl', [
      'cms', '-sign', '-binary', '-md', 'sha256', '-nosmimecap', '-outform', 'DER',
      '-in', f('content.bin'), '-signer', f('lab.pem'), '-inkey', f('lab.key'), '-out', f('lab.p7s'),
    ]);
    return readFileSync(f('lab.p7s'));
  }
}

describe('PAdES B-T with an RFC 3161 timestamp', () => {
  it('adds a signature timestamp token from the configured TSA', async () => {
    const dir = tempDir();
    const before = tsa.requests;
    const result = await signed(await samplePdf(), asClinic({ tsaUrl: tsa.url }));
    expect(tsa.requests).toBe(before + 1);
    expect(result.level).toBe('B-T');
    expect(result.timestampedAt).not.toBeNull();

    const { signatures, output } = pdfsig(save(dir, 'bt.pdf', result.pdf));
    expect(signatures[0], output).toMatchObject({ valid: true, type: 'ETSI.CAdES.detached', totalDocumentSigned: true });
    expect(opensslVerify(dir, result.pdf, ca.certPem)).toMatchObject({ ok: true });

    // The token is the unsigned attribute id-aa-signatureTimeStampToken and stamps the signature value.
    const { cms } = extractSignature(result.pdf);
    const { unsigned, signatureValue } = signerInfo(cms);
    expect(unsigned.map((a) => a.type)).toEqual([OID.signatureTimeStampToken]);
    const token = toDer(unsigned[0]?.value ?? fromDer(Buffer.from([5, 0])));
    writeFileSync(join(dir, 'token.der'), token);
    writeFileSync(join(dir, 'sigvalue.bin'), signatureValue);
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    const verify = spawnSync(
      'openssl',
      ['ts', '-verify', '-token_in', '-in', join(dir, 'token.der'), '-data', join(dir, 'sigvalue.bin'), '-CAfile', join(dir, 'ca.pem')],
      { encoding: 'utf8' },
    );
    expect(`${verify.stdout}${verify.stderr}`).toContain('Verification: OK');
  });

  it('refuses to sign when the TSA cannot be reached, unless told to fall back to B-B', async () => {
    const input = await samplePdf();
    const unreachable = 'http://127.0.0.1:9/tsa';
    const refused = await signPdf(input, asClinic({ tsaUrl: unreachable, tsaTimeoutMs: 2000 }));
    expect(refused).toMatchObject({ ok: false, code: 'tsa_unavailable' });
    if (!refused.ok) expect(refused.reason.es).toMatch(/sello de tiempo/);

    const fallback = await signed(input, asClinic({ tsaUrl: unreachable, tsaTimeoutMs: 2000, tsaOptional: true }));
    expect(fallback.level).toBe('B-B');
    expect(fallback.warnings.map((w) => w.code)).toEqual(['tsa_unavailable']);
  });
});

describe('refusals', () => {
  it.each([
    ['wrong_password', () => ({ p12: clinicP12, password: 'otra' }), /Contraseña incorrecta/],
    [
      'expired',
      () => ({ p12: forgeP12(issue(ca, { cn: 'V', notBefore: days(NOW, -90), notAfter: days(NOW, -1) }), [ca], PASSWORD), password: PASSWORD }),
      /Certificado vencido/,
    ],
    [
      'not_yet_valid',
      () => ({ p12: forgeP12(issue(ca, { cn: 'F', notBefore: days(NOW, 2), notAfter: days(NOW, 90) }), [ca], PASSWORD), password: PASSWORD }),
      /aún no es válido/,
    ],
  ] as const)('%s: no PDF comes out, and the reason is in Spanish', async (code, credentials, spanish) => {
    const result = await signPdf(await samplePdf(), { ...settings, ...credentials() });
    expect(result).toMatchObject({ ok: false, code });
    expect(result).not.toHaveProperty('pdf');
    if (!result.ok) expect(result.reason.es).toMatch(spanish);
  });

  it.each([
    ['not a PDF at all', () => Buffer.from('\x89PNG\r\n\x1a\n not a pdf')],
    ['a PDF header on garbage', () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\ngarbage')],
    ['a PDF cut in half', async () => (await samplePdf()).subarray(0, 900)],
    ['an empty file', () => Buffer.alloc(0)],
  ])('invalid_pdf: %s', async (_label, make) => {
    const result = await signPdf(await make(), asClinic());
    expect(result).toMatchObject({ ok: false, code: 'invalid_pdf' });
    if (!result.ok) expect(result.reason.es).toMatch(/no es un PDF válido/);
  });

  it('encrypted_pdf: a password-protected PDF', async () => {
    const classic = (await samplePdf({ objectStreams: false })).toString('latin1');
    const encrypted = Buffer.from(classic.replace('trailer\n<<', 'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 >>'), 'latin1');
    const result = await signPdf(encrypted, asClinic());
    expect(result).toMatchObject({ ok: false, code: 'encrypted_pdf' });
  });

  it('invalid_options: an unknown time zone', async () => {
    const result = await signPdf(await samplePdf(), asClinic({ timeZone: 'America/Atlantis' }));
    expect(result).toMatchObject({ ok: false, code: 'invalid_options' });
  });
});

describe('stamp and certificates', () => {
  it('puts the stamp on the last page, upright on a rotated page, in English when asked', async () => {
    const dir = tempDir();
    const doc = await PDFDocument.load(await samplePdf({ pages: 3 }));
    doc.getPage(2).setRotation(degrees(90));
    const input = Buffer.from(await doc.save());
    const result = await signed(input, asClinic({ language: 'en', signerName: 'Laboratorio Clínico San José' }));
    const file = save(dir, 'rotated.pdf', result.pdf);
    expect(pdfsig(file).signatures[0]).toMatchObject({ valid: true });
    const lastPage = execFileSync('pdftotext', ['-f', '3', '-l', '3', file, '-'], { encoding: 'utf8' });
    expect(lastPage).toContain('Digitally signed by:');
    expect(lastPage).toContain('Laboratorio Clínico San José');
    expect(lastPage).toContain(`Verification code: ${result.verificationCode}`);
    expect(execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' })).not.toContain('Verification code');
  });

  it('signs invisibly when the stamp is off', async () => {
    const dir = tempDir();
    const result = await signed(await samplePdf(), asClinic({ stamp: false }));
    const file = save(dir, 'invisible.pdf', result.pdf);
    expect(pdfsig(file).signatures[0]).toMatchObject({ valid: true });
    expect(pdftotext(file)).not.toContain('Firmado digitalmente');
  });

  it('signs with a certificate loaded once (batch), and with an ECDSA certificate', async () => {
    const dir = tempDir();
    const loaded = loadCertificate(clinicP12, PASSWORD, NOW);
    if (!loaded.ok) throw new Error(loaded.reason.en);
    for (let i = 0; i < 3; i += 1) {
      const result = await signed(await samplePdf(), { identity: loaded.identity, ...settings });
      expect(pdfsig(save(dir, `batch${i}.pdf`, result.pdf)).signatures[0]).toMatchObject({ valid: true });
    }

    const ecP12 = opensslP12(dir, ecSigner(dir, ca, 'Firma EC'), [ca], PASSWORD);
    const ec = await signed(await samplePdf(), { p12: ecP12, password: PASSWORD, ...settings, now: new Date(Date.now() + 1000) });
    expect(pdfsig(save(dir, 'ec.pdf', ec.pdf)).signatures[0]).toMatchObject({ valid: true, commonName: 'Firma EC' });
    expect(opensslVerify(dir, ec.pdf, ca.certPem)).toMatchObject({ ok: true });
  });
});

describe('other producers and restrictions', () => {
  it('signs a PDF written by another generator (cairo, via pdftocairo)', async () => {
    const dir = tempDir();
    const source = save(dir, 'source.pdf', await samplePdf());
    execFileSync('pdftocairo', ['-pdf', source, join(dir, 'cairo.pdf')]);
    const input = readFileSync(join(dir, 'cairo.pdf'));
    const result = await signed(input);
    const { signatures, output } = pdfsig(save(dir, 'signed.pdf', result.pdf));
    expect(signatures[0], output).toMatchObject({ valid: true, totalDocumentSigned: true });
    expect(result.pdf.subarray(0, input.length).equals(input)).toBe(true);
  });

  it('locked_pdf: a certified PDF that allows no changes is not signed again', async () => {
    const doc = await PDFDocument.load(await samplePdf());
    const certification = doc.context.obj({
      Type: 'Sig',
      Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: 1, V: '1.2' } }],
    });
    doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: doc.context.register(certification) }));
    const result = await signPdf(Buffer.from(await doc.save()), asClinic());
    expect(result).toMatchObject({ ok: false, code: 'locked_pdf' });
  });
});
