import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { sha256Hex } from '../hash';
import type { SourceResult } from '../sources/clinic-db/records';
import type { IncomingResult } from './incoming-result';
import { defaultTitles, reviewReasons } from '../documents/results-texts';

/**
 * A clinic-database or HL7 result as the intake takes it. A correction of a result already reported (HL7 OBR-25 = C)
 * is a new document for the patient, so its key carries the content: the same correction re-sent is still one result.
 */
export async function incomingFromSource(r: SourceResult): Promise<IncomingResult> {
  let pdf: Uint8Array | null = null;
  let problem: IncomingResult['problem'];
  const name = r.file.kind === 'path' ? basename(r.file.path) : `${r.resultId}.pdf`;
  if (r.file.kind === 'bytes') pdf = r.file.bytes;
  else {
    try {
      pdf = await readFile(r.file.path);
    } catch (error) {
      problem = { code: 'unreadable', reason: reviewReasons.unreadable(r.file.path, (error as Error).message) };
    }
  }
  const p = r.patient;
  return {
    source: r.source,
    sourceKey: r.corrected && pdf ? `${r.sourceKey}:corrected:${sha256Hex(pdf)}` : r.sourceKey,
    kind: 'result',
    title: r.title?.trim() || defaultTitles.result,
    pdf,
    originalName: name,
    patient: {
      ...(p.documentType ? { documentType: p.documentType } : {}),
      ...(p.documentNumber ? { documentNumber: p.documentNumber } : {}),
      ...(p.medicalRecordNumber ? { medicalRecordNumber: p.medicalRecordNumber } : {}),
      ...(p.firstNames ? { firstNames: p.firstNames } : {}),
      ...(p.lastNames ? { lastNames: p.lastNames } : {}),
      ...(p.phone ? { phone: p.phone } : {}),
    },
    accessionNumber: r.accessionNumber,
    approved: true,
    approvedAt: r.approvedAt,
    approvedBy: r.approvedBy,
    ...(problem ? { problem } : {}),
  };
}
