import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revocationCache } from '../../src/main/core/documents/revocation-cache';
import { signatureReport } from '../../src/main/core/documents/signature-report';
import { type SignPdfOptions, type SignSettings, signPdf } from '../../src/main/core/documents/sign-pdf';
import { type Party, days, forgeP12, issue, makeCa } from '../helpers/pki';
import { tempDir } from '../helpers/temp';
import { extractSignature, pdfsig } from './pdf-tools';
import { type RevocationServices, startRevocationServices } from './revocation-services';
import { type LocalTsa, startLocalTsa } from './tsa-server';

// PAdES B-LT and B-LTA against the CA's own OCSP responder (`openssl ocsp -port`) and CRL, both on loopback; every
// embedded piece is checked again by OpenSSL.

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const PASSWORD = 'clave-de-prueba';

let ca: Party;
let services: RevocationServices;
let tsa: LocalTsa;
let withOcsp: Party;
let crlOnly: Party;
let revoked: Party;
let NOW_PDF: Buffer;

beforeAll(async () => {
  ca = makeCa('Avisa Test Root CA', NOW);
  services = await startRevocationServices(ca);
  const validity = { notBefore: days(NOW, -10), notAfter: days(NOW, 365) };
  withOcsp = issue(ca, { cn: 'Dra. Ana Torres', ...validity, ocspUrl: services.ocspUrl, crlUrl: services.crlUrl });
  crlOnly = issue(ca, { cn: 'Dr. Pedro Salas', ...validity, crlUrl: services.crlUrl });
  revoked = issue(ca, { cn: 'Dr. Revocado', ...validity, ocspUrl: services.ocspUrl, crlUrl: services.crlUrl });
  services.register(withOcsp, 'valid');
  services.register(crlOnly, 'valid');
  services.register(revoked, 'revoked');
  await services.startOcsp();
  NOW_PDF = await sample();
  tsa = await startLocalTsa(issue(ca, { cn: 'Avisa Test TSA', ...validity, timeStamping: true }), ca);
});

afterAll(async () => {
  await tsa.close();
  await services.close();
});

const settings = (): SignSettings => ({
  reason: 'Resultado de laboratorio',
  location: 'Lima',
  timeZone: 'America/Lima',
  now: NOW,
  tsaUrl: tsa.url,
});
const as = (party: Party, extra: Partial<SignSettings> = {}): SignPdfOptions => ({
  p12: forgeP12(party, [ca], PASSWORD),
  password: PASSWORD,
  ...settings(),
  ...extra,
});

async function sample(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Hemoglobina: 13.5 g/dL', { x: 50, y: 780, size: 12 });
  return Buffer.from(await doc.save());
}

/** The DSS of the file: its streams decoded, per array, and the VRI keys. */
async function dssOf(pdf: Buffer) {
  const doc = await PDFDocument.load(pdf);
  const dss = doc.catalog.lookup(PDFName.of('DSS'), PDFDict);
  const streams = (name: string) =>
    (dss.lookupMaybe(PDFName.of(name), PDFArray)?.asArray() ?? []).map((ref) =>
      Buffer.from(decodePDFRawStream(doc.context.lookup(ref) as PDFRawStream).decode()),
    );
  const vri = dss.lookup(PDFName.of('VRI'), PDFDict);
  return {
    certs: streams('Certs'),
    ocsps: streams('OCSPs'),
    crls: streams('CRLs'),
    vriKeys: vri.keys().map((k) => k.decodeText()),
  };
}

function write(dir: string, name: string, bytes: Buffer | string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe('PAdES B-LT', () => {
  it('embeds the OCSP response from the AIA and the certificates in a DSS with VRI; each OCSP response verifies', async () => {
    const input = await sample();
    const result = await signPdf(input, as(withOcsp, { level: 'B-LT' }));
    if (!result.ok) throw new Error(result.reason.en);
    expect(result).toMatchObject({ level: 'B-LT', warnings: [] });
    const dir = tempDir();
    const file = write(dir, 'blt.pdf', result.pdf);
    const { signatures, output } = pdfsig(file);
    expect(signatures, output).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ valid: true, type: 'ETSI.CAdES.detached' });
    // The DSS came after the signature, as an incremental update: the signature no longer covers the whole file,
    // which is what validators expect of B-LT.
    expect(result.pdf.subarray(0, input.length).equals(input)).toBe(true);

    const dss = await dssOf(result.pdf);
    expect(dss.ocsps).toHaveLength(1);
    expect(dss.certs.length).toBeGreaterThanOrEqual(2);
    const { cms } = extractSignature(result.pdf);
    const [, b = 0, c = 0] = extractSignature(result.pdf).byteRange;
    const contents = Buffer.from(result.pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
    expect(cms.length).toBeLessThanOrEqual(contents.length);
    expect(dss.vriKeys).toEqual([`${createHash('sha1').update(contents).digest('hex').toUpperCase()}`]);

    const check = spawnSync(
      'openssl',
      ['ocsp', '-respin', write(dir, 'resp.der', dss.ocsps[0] ?? Buffer.alloc(0)), '-CAfile', write(dir, 'ca.pem', ca.certPem),
        '-issuer', join(dir, 'ca.pem'), '-sha256', '-cert', write(dir, 'signer.pem', withOcsp.certPem)],
      { encoding: 'utf8' },
    );
    expect(`${check.stdout}${check.stderr}`).toContain('Response verify OK');
    expect(check.stdout).toMatch(/signer\.pem: good/);
  });

  it('falls back to the CRL from the CDP when the certificate names no OCSP responder; the CRL verifies', async () => {
    const result = await signPdf(await sample(), as(crlOnly, { level: 'B-LT' }));
    if (!result.ok) throw new Error(result.reason.en);
    expect(result.level).toBe('B-LT');
    const dss = await dssOf(result.pdf);
    expect(dss.ocsps).toHaveLength(0);
    expect(dss.crls).toHaveLength(1);
    const dir = tempDir();
    const check = spawnSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', write(dir, 'ca.crl', dss.crls[0] ?? Buffer.alloc(0)), '-CAfile', write(dir, 'ca.pem', ca.certPem), '-noout'],
      { encoding: 'utf8' },
    );
    expect(`${check.stdout}${check.stderr}`).toMatch(/verify OK/);
    expect(pdfsig(write(dir, 'crl.pdf', result.pdf)).signatures[0]?.valid).toBe(true);
  });

  it('refuses a revoked signer with a clear reason, and hands out no PDF', async () => {
    const result = await signPdf(await sample(), as(revoked, { level: 'B-LT' }));
    expect(result).toMatchObject({ ok: false, code: 'revoked' });
    expect(result).not.toHaveProperty('pdf');
    if (!result.ok) expect(result.reason.es).toMatch(/Dr\. Revocado.*revocado/);
  });
});

describe('PAdES B-LTA', () => {
  it('adds a document timestamp over the signature and its DSS; openssl ts verifies the token', async () => {
    const result = await signPdf(await sample(), as(withOcsp, { level: 'B-LTA' }));
    if (!result.ok) throw new Error(result.reason.en);
    expect(result.level).toBe('B-LTA');
    const dir = tempDir();
    const { signatures, output } = pdfsig(write(dir, 'blta.pdf', result.pdf));
    expect(signatures, output).toHaveLength(2);
    expect(signatures[0]).toMatchObject({ valid: true, type: 'ETSI.CAdES.detached', totalDocumentSigned: false });
    // Poppler 22 reads a document timestamp (its TSA, its ranges) but does not validate ETSI.RFC3161 ("Unable to
    // validate this type of signature"): openssl ts does that below.
    expect(signatures[1]).toMatchObject({ commonName: 'Avisa Test TSA', totalDocumentSigned: true });
    expect(result.pdf.toString('latin1')).toContain('/SubFilter /ETSI.RFC3161');
    // The document timestamp covers the DSS.
    expect(result.pdf.toString('latin1').indexOf('/DocTimeStamp')).toBeGreaterThan(result.pdf.toString('latin1').indexOf('/VRI'));

    const { cms: token, signedContent } = extractSignature(result.pdf, 1);
    const verify = spawnSync(
      'openssl',
      ['ts', '-verify', '-data', write(dir, 'content.bin', signedContent), '-in', write(dir, 'token.der', token), '-token_in',
        '-CAfile', write(dir, 'ca.pem', ca.certPem)],
      { encoding: 'utf8' },
    );
    expect(`${verify.stdout}${verify.stderr}`).toContain('Verification: OK');
  });
});

describe('revocation data that cannot be had', () => {
  it('signs at B-T with the reason when the clinic allows it, or refuses', async () => {
    const dead = issue(ca, { cn: 'Dra. Sin Respuesta', notBefore: days(NOW, -1), notAfter: days(NOW, 30), ocspUrl: 'http://127.0.0.1:9/' });
    const lower = await signPdf(await sample(), as(dead, { level: 'B-LT', revocationTimeoutMs: 2000 }));
    if (!lower.ok) throw new Error(lower.reason.en);
    expect(lower.level).toBe('B-T');
    expect(lower.warnings.map((w) => w.code)).toEqual(['revocation_unavailable']);
    expect(lower.warnings[0]?.reason.es).toMatch(/B-T/);
    const refused = await signPdf(await sample(), as(dead, { level: 'B-LT', revocationOptional: false, revocationTimeoutMs: 2000 }));
    expect(refused).toMatchObject({ ok: false, code: 'revocation_unavailable' });
  });
});

describe('Ver firma', () => {
  it('reads signer, times, level and whether the validation data is complete back from the file', async () => {
    const lt = await signPdf(await sample(), as(withOcsp, { level: 'B-LT' }));
    const lta = await signPdf(await sample(), as(crlOnly, { level: 'B-LTA' }));
    const bb = await signPdf(await sample(), as(withOcsp, { tsaUrl: undefined }));
    if (!lt.ok || !lta.ok || !bb.ok) throw new Error('not signed');

    const ltReport = await signatureReport(lt.pdf);
    expect(ltReport).toMatchObject({
      level: 'B-LT',
      validationData: { complete: true, ocspResponses: 1, missing: [] },
      signatures: [{ kind: 'signature', signer: 'Dra. Ana Torres', signedAt: NOW.toISOString(), subFilter: 'ETSI.CAdES.detached' }],
    });
    expect(ltReport.signatures[0]?.timestampedAt).toBe(lt.timestampedAt);

    const ltaReport = await signatureReport(lta.pdf);
    expect(ltaReport.level).toBe('B-LTA');
    expect(ltaReport.validationData).toMatchObject({ complete: true, crls: 1 });
    expect(ltaReport.signatures.map((s) => [s.kind, s.signer])).toEqual([
      ['signature', 'Dr. Pedro Salas'],
      ['document_timestamp', 'Avisa Test TSA'],
    ]);

    const bbReport = await signatureReport(bb.pdf);
    expect(bbReport).toMatchObject({ level: 'B-B', validationData: { complete: false, missing: ['Dra. Ana Torres'] } });
  });
});

describe('revocation answers kept while current', () => {
  const HOUR = 3_600_000;

  it('reuses an OCSP response until its nextUpdate, asks again after it, and then refuses a certificate revoked since', async () => {
    // A CA of its own: this test revokes its signer halfway.
    const ownCa = makeCa('Avisa Cache CA', NOW);
    const own = await startRevocationServices(ownCa);
    try {
      const signer = issue(ownCa, { cn: 'Dra. Lucía Paredes', notBefore: days(NOW, -1), notAfter: days(NOW, 365), ocspUrl: own.ocspUrl });
      own.register(signer, 'valid');
      await own.startOcsp();
      const cache = revocationCache();
      const signAt = (at: Date) =>
        signPdf(NOW_PDF, {
          p12: forgeP12(signer, [ownCa], PASSWORD),
          password: PASSWORD,
          ...settings(),
          now: at,
          level: 'B-LT',
          revocationOptional: false,
          revocationTimeoutMs: 2000,
          revocationCache: cache,
        });

      const first = await signAt(NOW);
      if (!first.ok) throw new Error(first.reason.en);
      expect(first.level).toBe('B-LT');
      const firstOcsp = (await dssOf(first.pdf)).ocsps;

      // The responder is down, but its answer holds for 60 minutes (`-nmin 60`): the same response goes in the DSS.
      await own.stopOcsp();
      const kept = await signAt(new Date(NOW.getTime() + 30 * 60_000));
      if (!kept.ok) throw new Error(kept.reason.en);
      expect(kept.level).toBe('B-LT');
      expect((await dssOf(kept.pdf)).ocsps).toEqual(firstOcsp);

      // Past nextUpdate the kept answer is not used: with the responder down there is nothing current to embed.
      const stale = await signAt(new Date(NOW.getTime() + 2 * HOUR));
      expect(stale).toMatchObject({ ok: false, code: 'revocation_unavailable' });

      // Asked again, the responder now says revoked: refused, and the answer is not kept (asked again next time).
      own.revoke(signer);
      await own.startOcsp();
      expect(await signAt(new Date(NOW.getTime() + 2 * HOUR))).toMatchObject({ ok: false, code: 'revoked' });
      await own.stopOcsp();
      expect(await signAt(new Date(NOW.getTime() + 2 * HOUR))).toMatchObject({ ok: false, code: 'revocation_unavailable' });
    } finally {
      await own.close();
    }
  });

  it('downloads a CRL once while it is current and again after its nextUpdate, when it lists the signer as revoked', async () => {
    const ownCa = makeCa('Avisa CRL Cache CA', NOW);
    const own = await startRevocationServices(ownCa);
    try {
      const signer = issue(ownCa, { cn: 'Dr. Hugo Ramos', notBefore: days(NOW, -1), notAfter: days(NOW, 365), crlUrl: own.crlUrl });
      own.register(signer, 'valid');
      const cache = revocationCache();
      const signAt = (at: Date) =>
        signPdf(NOW_PDF, { p12: forgeP12(signer, [ownCa], PASSWORD), password: PASSWORD, ...settings(), now: at, level: 'B-LT', revocationCache: cache });

      for (const at of [NOW, new Date(NOW.getTime() + HOUR), new Date(NOW.getTime() + 24 * HOUR)]) {
        const signed = await signAt(at);
        if (!signed.ok) throw new Error(signed.reason.en);
        expect(signed.level).toBe('B-LT');
      }
      expect(own.crlRequests).toBe(1);

      // The CRL holds for 7 days (default_crl_days); on the 8th a new one is fetched, and it lists the signer.
      own.revoke(signer);
      expect(await signAt(days(NOW, 8))).toMatchObject({ ok: false, code: 'revoked' });
      expect(own.crlRequests).toBe(2);
    } finally {
      await own.close();
    }
  });
});
