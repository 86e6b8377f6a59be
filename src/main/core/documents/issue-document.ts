import type { IssueDocumentInput, IssuedDocument } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import type { ResultsIntake } from '../intake/results-intake';
import type { Db } from '../store/db';
import { getPatient } from '../store/patients-repo';
import { renderDocumentPdf } from './document-layout';

export interface IssueDeps {
  db: Db;
  intake: ResultsIntake;
  clinicName: () => string;
  language: () => Language;
  timeZone: () => string;
  now: () => number;
}

export class IssueError extends Error {
  constructor(
    readonly code: 'unknown_patient',
    readonly reason: Record<Language, string>,
  ) {
    super(reason.en);
  }
}

/**
 * "Nuevo documento": a receptionist issues a certificate, attestation or receipt for a patient, uploaded as a PDF or
 * typed and rendered from the kind's layout. It enters the results intake like any source's document (source
 * 'manual'), so the kind's signing rule and template apply and a required signature is never skipped. The request id
 * makes a double click one document. Issuing it is the person's approval.
 */
export async function issueDocument(deps: IssueDeps, input: IssueDocumentInput, actor: string): Promise<IssuedDocument> {
  const patient = getPatient(deps.db, input.patientId);
  if (!patient) {
    throw new IssueError('unknown_patient', { es: 'El paciente indicado no existe.', en: 'The given patient does not exist.' });
  }
  const at = deps.now();
  const pdf =
    input.content.type === 'pdf'
      ? Buffer.from(input.content.base64, 'base64')
      : await renderDocumentPdf({
          kind: input.kind,
          title: input.title,
          body: input.content.body,
          clinicName: deps.clinicName(),
          patient: {
            fullName: `${patient.firstNames} ${patient.lastNames}`.trim(),
            documentType: patient.documentType,
            documentNumber: patient.documentNumber,
          },
          issuedAt: at,
          timeZone: deps.timeZone(),
          language: patient.language,
        });
  let outcome = await deps.intake.receive({
    source: 'manual',
    sourceKey: `manual:${input.requestId}`,
    kind: input.kind,
    title: input.title,
    pdf,
    originalName: input.content.type === 'pdf' ? input.content.filename : `${input.title}.pdf`,
    patient: { documentType: patient.documentType, documentNumber: patient.documentNumber },
    approved: true,
    approvedBy: actor,
    approvedAt: at,
  });
  // A site that asks for an approval click gets it: the person issuing the document is the one who would click.
  if (outcome.state === 'awaiting_approval') outcome = await deps.intake.approve(outcome.intakeId, actor);
  return {
    intakeId: outcome.intakeId,
    resultId: outcome.resultId,
    state: outcome.state,
    code: outcome.code ?? null,
    reason: outcome.reason?.[deps.language()] ?? null,
  };
}
