import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCertificate } from '../src/main/core/documents/certificate';
import { signPdf } from '../src/main/core/documents/sign-pdf';
import { type RevocationCache, revocationCache } from '../src/main/core/documents/revocation-cache';
import { closeTokenModules, openTokenSession } from '../src/main/core/documents/pkcs11-token';
import { samplePdf } from '../test/documents/pdf-tools';
import { startRevocationServices } from '../test/documents/revocation-services';
import { startLocalTsa } from '../test/documents/tsa-server';
import { makeSoftToken, removeSoftHsm, useSoftHsm } from '../test/helpers/softhsm';
import { days, forgeP12, issue, makeCa } from '../test/helpers/pki';

const ROUNDS = 60;

async function perSecond(fn: () => Promise<void>, rounds: number): Promise<number> {
  await fn(); // warm up
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await fn();
  return rounds / ((performance.now() - start) / 1000);
}

/** Signed PDFs per second (PAdES B-B with the stamp), beside `openssl cms -sign` over the same bytes. */
export async function sign(): Promise<Record<string, number>> {
  const now = new Date();
  const ca = makeCa('Bench CA', now);
  const leaf = issue(ca, { cn: 'Clínica Bench', notBefore: days(now, -1), notAfter: days(now, 365) });
  const loaded = loadCertificate(forgeP12(leaf, [ca], 'x'), 'x', now);
  if (!loaded.ok) throw new Error(loaded.code);
  const options = { identity: loaded.identity, reason: 'Resultado', location: 'Lima', timeZone: 'America/Lima', now };
  const onePage = await samplePdf({ pages: 1 });
  const twentyPages = await samplePdf({ pages: 20 });
  const signWith = (pdf: Buffer) => async () => {
    const result = await signPdf(pdf, options);
    if (!result.ok) throw new Error(result.code);
  };

  const dir = mkdtempSync(join(tmpdir(), 'avisa-sign-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), onePage);
    writeFileSync(join(dir, 'cert.pem'), leaf.certPem);
    writeFileSync(join(dir, 'key.pem'), leaf.keyPem);
    const openssl = () =>
      execFileSync('openssl', ['cms', '-sign', '-binary', '-in', join(dir, 'doc.pdf'), '-signer', join(dir, 'cert.pem'),
        '-inkey', join(dir, 'key.pem'), '-outform', 'DER', '-out', join(dir, 'doc.p7s')]);
    return {
      'sign.one_page_per_s': await perSecond(signWith(onePage), ROUNDS),
      'sign.twenty_page_per_s': await perSecond(signWith(twentyPages), ROUNDS),
      'sign.openssl_cms_per_s': await perSecond(async () => void openssl(), ROUNDS),
      ...(await longTermAndToken(onePage, now)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PAdES B-LT per second against a loopback TSA and `openssl ocsp` responder, as the pipeline signs a batch: each
 * signature makes its own TSA request and DSS update; the OCSP response is asked once and reused while it is current
 * (the responder gives it 60 minutes), as the pipeline's revocation cache does. Beside it, the same with a cold cache
 * for every signature (one OCSP request each), and B-B with the key on a SoftHSM2 token through PKCS#11.
 */
async function longTermAndToken(onePage: Buffer, now: Date): Promise<Record<string, number>> {
  const ca = makeCa('Bench LT CA', now);
  const services = await startRevocationServices(ca);
  const leaf = issue(ca, { cn: 'Dra. Bench', notBefore: days(now, -1), notAfter: days(now, 365), ocspUrl: services.ocspUrl });
  services.register(leaf, 'valid');
  await services.startOcsp();
  const tsa = await startLocalTsa(issue(ca, { cn: 'Bench TSA', notBefore: days(now, -1), notAfter: days(now, 365), timeStamping: true }), ca);
  useSoftHsm();
  const token = makeSoftToken('bench', leaf, ca);
  try {
    const loaded = loadCertificate(forgeP12(leaf, [ca], 'x'), 'x', now);
    if (!loaded.ok) throw new Error(loaded.code);
    const base = { reason: 'Resultado', location: 'Lima', timeZone: 'America/Lima', now };
    const batchCache = revocationCache();
    const bLt = (cache: () => RevocationCache) => async () => {
      const result = await signPdf(onePage, { ...base, identity: loaded.identity, tsaUrl: tsa.url, level: 'B-LT', revocationCache: cache() });
      if (!result.ok || result.level !== 'B-LT') throw new Error(result.ok ? result.level : result.code);
    };
    const session = await openTokenSession({ modulePath: token.modulePath, tokenSerial: token.serial, certificateId: '01' }, token.pin, now);
    const onToken = async () => {
      const result = await signPdf(onePage, { ...base, identity: session.identity });
      if (!result.ok) throw new Error(result.code);
    };
    const figures = {
      'sign.b_lt_one_page_per_s': await perSecond(bLt(() => batchCache), 30),
      'sign.b_lt_cold_one_page_per_s': await perSecond(bLt(() => revocationCache()), 30),
      'sign.pkcs11_one_page_per_s': await perSecond(onToken, ROUNDS),
    };
    session.close();
    return figures;
  } finally {
    closeTokenModules();
    removeSoftHsm();
    await tsa.close();
    await services.close();
  }
}
