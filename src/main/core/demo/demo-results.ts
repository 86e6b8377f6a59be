import type { Language } from '../../../shared/domain';
import { renderDocumentPdf } from '../documents/document-layout';
import type { ResultsSink } from '../intake/incoming-result';
import type { DemoResult } from './seed';

/**
 * The demo lab delivers its results as any source would: a real PDF through the results intake, so they are signed,
 * open in "Ver PDF", and the imperfect ones (a landline, no consent, awaiting approval) wait in "Por revisar" with the
 * button that fixes them.
 */
export async function receiveDemoResults(
  intake: ResultsSink,
  results: readonly DemoResult[],
  ctx: { clinicName: string; timeZone: string; language: Language; now: number },
): Promise<void> {
  for (const r of results) {
    const pdf = await renderDocumentPdf({
      kind: 'result',
      title: r.title,
      body: ctx.language === 'en' ? 'Values within the reference range.' : 'Valores dentro del rango de referencia.',
      clinicName: ctx.clinicName,
      patient: { fullName: `${r.firstNames} ${r.lastNames}`, documentType: 'DNI', documentNumber: r.documentNumber },
      issuedAt: ctx.now,
      timeZone: ctx.timeZone,
      language: ctx.language,
    });
    await intake.receive({
      source: 'demo',
      sourceKey: r.key,
      kind: 'result',
      title: r.title,
      pdf,
      originalName: `${r.documentNumber}_resultado.pdf`,
      patient: { documentType: 'DNI', documentNumber: r.documentNumber, firstNames: r.firstNames, lastNames: r.lastNames },
      approved: r.approved,
      approvedBy: r.approved ? 'Dra. Paredes' : null,
      approvedAt: r.approved ? ctx.now : null,
    });
  }
}
