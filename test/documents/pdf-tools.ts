import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

// Independent eyes on what the signer produced: poppler's pdfsig and pdftotext, and openssl cms.

export async function samplePdf(options: { objectStreams?: boolean; pages?: number } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i += 1) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Resultado de laboratorio - hoja ${i + 1}`, { x: 50, y: 780, size: 14, font });
    page.drawText('Hemoglobina: 13.5 g/dL', { x: 50, y: 750, size: 11, font });
  }
  // pdf-lib writes a cross-reference stream by default; objectStreams: false gives a classic xref table.
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? true }));
}

export interface PdfsigSignature {
  commonName: string;
  type: string;
  valid: boolean;
  validation: string;
  certificate: string;
  totalDocumentSigned: boolean;
  ranges: string;
  signingTime: string;
}

export function pdfsig(file: string): { output: string; signatures: PdfsigSignature[] } {
  const run = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const blocks = output.split(/^Signature #\d+:$/m).slice(1);
  const field = (block: string, label: string): string =>
    new RegExp(`- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
  const signatures = blocks.map((block) => ({
    commonName: field(block, 'Signer Certificate Common Name'),
    type: field(block, 'Signature Type'),
    validation: field(block, 'Signature Validation'),
    valid: field(block, 'Signature Validation') === 'Signature is Valid.',
    certificate: field(block, 'Certificate Validation'),
    totalDocumentSigned: /- Total document signed/.test(block),
    ranges: field(block, 'Signed Ranges'),
    signingTime: field(block, 'Signing Time'),
  }));
  return { output, signatures };
}

export function pdftotext(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** ByteRange and the CMS of the n-th signature (0-based, in file order). */
export function extractSignature(pdf: Buffer, n = 0): { byteRange: number[]; cms: Buffer; signedContent: Buffer } {
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const match = matches[n];
  if (!match) throw new Error(`no signature #${n}`);
  const byteRange = match.slice(1, 5).map(Number);
  const [a = 0, b = 0, c = 0, d = 0] = byteRange;
  const hex = pdf.subarray(a + b + 1, c - 1).toString('latin1');
  // DER carries its own length: cut the zero padding of the placeholder.
  const raw = Buffer.from(hex, 'hex');
  const len = derLength(raw);
  return {
    byteRange,
    cms: raw.subarray(0, len),
    signedContent: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]),
  };
}

function derLength(der: Buffer): number {
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  return 2 + n + der.readUIntBE(2, n);
}

/** openssl cms -verify against the test CA: the second, independent verifier of the CMS. */
export function opensslVerify(dir: string, pdf: Buffer, caPem: string, n = 0): { ok: boolean; output: string } {
  const { cms, signedContent } = extractSignature(pdf, n);
  writeFileSync(join(dir, 'sig.der'), cms);
  writeFileSync(join(dir, 'content.bin'), signedContent);
  writeFileSync(join(dir, 'ca.pem'), caPem);
  const run = spawnSync(
    'openssl',
    ['cms', '-verify', '-inform', 'DER', '-binary', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'),
      '-CAfile', join(dir, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

export function cmsPrint(dir: string, cms: Buffer): string {
  writeFileSync(join(dir, 'print.der'), cms);
  return execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'print.der')], {
    encoding: 'utf8',
  });
}
