import { join } from 'node:path';
import { createResultsIntake } from '../intake/results-intake';
import { signOffRule } from '../people/sign-off';
import type { Planner } from '../scheduler/planner';
import { moveResolvedFile } from '../sources/folder-source';
import type { DocumentsStage } from './documents-stage';
import type { Later } from './later-parts';
import type { StoreStage } from './store-stage';

/** Results intake: the patient matched, the approval and sign-off rules, then the document pipeline. */
export function buildIntake(s: StoreStage, documents: DocumentsStage, planner: Planner, later: Later) {
  const { db, settings, now } = s;
  const resultsIntake = createResultsIntake({
    db,
    pipeline: documents.documentPipeline,
    originalsDir: join(documents.documentsDir, 'originals'),
    now,
    language: s.language,
    defaultCountry: s.defaultCountry,
    results: () => settings.get().results,
    onPatientChanged: (id) => planner.planPatient(id),
    onResolved: (item) => moveResolvedFile(item.sourceFile, settings.get().folderSource.signedCopy && item.document?.signed ? item.document.file : null),
    onChanged: () => later().announceStatus(),
    signOff: signOffRule(db, () => settings.get().signOff),
  });
  return { resultsIntake };
}
