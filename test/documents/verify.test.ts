import { describe, expect, it } from 'vitest';
import { signPdf } from '../../src/main/core/documents/sign-pdf';
import { checkLastSignature } from '../../src/main/core/documents/verify';
import { days, forgeP12, issue, makeCa } from '../helpers/pki';
import { samplePdf } from './pdf-tools';

const NOW = new Date();

async function signedPdf(): Promise<Buffer> {
  const ca = makeCa('Avisa Test Root CA', NOW);
  const signer = issue(ca, { cn: 'Firma', notBefore: days(NOW, -1), notAfter: days(NOW, 30) });
  const result = await signPdf(await samplePdf(), {
    p12: forgeP12(signer, [ca], 'x'),
    password: 'x',
    reason: 'Resultado',
    location: 'Lima',
    timeZone: 'America/Lima',
    now: NOW,
  });
  if (!result.ok) throw new Error(result.reason.en);
  return result.pdf;
}

describe('checkLastSignature', () => {
  it('accepts what signPdf produced and names the signer', async () => {
    const check = checkLastSignature(await signedPdf());
    expect(check.ok && check.signer.subject).toContain('CN=Firma');
  });

  it('finds a byte changed anywhere in the signed ranges', async () => {
    const pdf = await signedPdf();
    const tampered = Buffer.from(pdf);
    tampered[200] = (tampered[200] ?? 0) ^ 0x01; // inside the first signed range
    expect(checkLastSignature(tampered)).toMatchObject({ ok: false, detail: 'the document digest does not match' });
  });

  it('finds bytes appended after the signature', async () => {
    const pdf = await signedPdf();
    expect(checkLastSignature(Buffer.concat([pdf, Buffer.from('\n% extra')]))).toMatchObject({ ok: false });
  });

  it('says an unsigned PDF has no signature', async () => {
    expect(checkLastSignature(await samplePdf())).toEqual({ ok: false, detail: 'no signature' });
  });
});
