import { basename } from 'node:path';
import { sha256Hex } from '../hash';
import type { SourceFile, SourceResult } from '../sources/clinic-db/records';
import type { SourceFileRead } from '../sources/source-file';
import type { IncomingResult } from './incoming-result';
import { incomingPatientOf } from './source-patient';
import { defaultTitles } from '../documents/results-texts';

/**
 * A clinic-database or HL7 result as the intake takes it. A correction of a result already reported (HL7 OBR-25 = C)
 * is a new document for the patient, so its key carries the content: the same correction re-sent is still one result.
 */
export async function incomingFromSource(
  r: SourceResult,
  /** The source's guarded reader: only PDFs under the folders configured for it, never Avisa's data folder. */
  readFile: (file: Extract<SourceFile, { kind: 'path' }>) => Promise<SourceFileRead>,
): Promise<IncomingResult> {
  let pdf: Uint8Array | null = null;
  let problem: IncomingResult['problem'];
  const name = r.file.kind === 'path' ? basename(r.file.path) : `${r.resultId}.pdf`;
  if (r.file.kind === 'bytes') {
    // Bytes that are not a PDF (a LOAD_FILE of the database host's files) are neither kept nor shown.
    if (looksLikePdf(r.file.bytes)) pdf = r.file.bytes;
    else problem = { code: 'not_pdf', reason: notPdf(name) };
  } else {
    const read = await readFile(r.file);
    if (read.ok) pdf = read.bytes;
    else problem = { code: read.code, reason: { es: read.es, en: read.en } };
  }
  return {
    source: r.source,
    sourceKey: r.corrected && pdf ? `${r.sourceKey}:corrected:${sha256Hex(pdf)}` : r.sourceKey,
    kind: 'result',
    title: r.title?.trim() || defaultTitles.result,
    pdf,
    originalName: name,
    patient: incomingPatientOf(r.patient),
    accessionNumber: r.accessionNumber,
    approved: true,
    approvedAt: r.approvedAt,
    approvedBy: r.approvedBy,
    ...(problem ? { problem } : {}),
  };
}

function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).indexOf('%PDF-') >= 0;
}

function notPdf(name: string): { es: string; en: string } {
  return {
    es: `El documento «${name}» no es un PDF: solo se firman y envían documentos PDF.`,
    en: `The document "${name}" is not a PDF: only PDF documents are signed and sent.`,
  };
}
