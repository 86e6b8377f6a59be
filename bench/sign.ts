import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCertificate } from '../src/main/core/documents/certificate';
import { signPdf } from '../src/main/core/documents/sign-pdf';
import { samplePdf } from '../test/documents/pdf-tools';
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
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
