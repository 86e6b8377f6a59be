import { version } from '../../../../package.json';
import type { AppOptions } from '../app-types';
import { writeAnchor } from '../audit/audit-anchor';
import type { DocumentPipeline } from '../documents/pipeline';
import { certificateWarning } from '../jobs/certificate-check';
import { createOperations } from '../operations';
import type { Dispatcher } from '../outbox/dispatcher';
import type { Planner } from '../scheduler/planner';
import { listSites } from '../store/clinic-repo';
import type { Later } from './later-parts';
import type { StoreStage } from './store-stage';

interface JobsInputs {
  planner: Planner;
  documentPipeline: DocumentPipeline;
  dispatcher: Dispatcher;
}

/** Backups, every calendar job (node-schedule, each in its site's zone), the disk under the database, the audit anchor. */
export function buildJobs(options: AppOptions, s: StoreStage, parts: JobsInputs, later: Later) {
  const { db, now, language } = s;
  const ops = createOperations({
    db,
    dataDir: options.dataDir,
    settings: s.settings,
    mode: options.mode,
    version,
    now,
    language,
    clinicZone: s.clinicZone,
    siteZones: () => [...new Set(listSites(db).map((site) => site.timeZone))],
    bus: s.bus,
    announce: () => later().announceStatus(),
    // Reminders enter the outbox as they come within the planning horizon; the hourly pass also runs the catch-up.
    advancePlanning: () => parts.planner.advance(),
    checkCertificate: () => certificateWarning(parts.documentPipeline.certificateStatus(), language()),
    wakeDispatcher: () => parts.dispatcher.wake(),
  });
  /** How far the audit chain went, written beside the database. */
  const anchor = (): void => {
    try {
      writeAnchor(db, options.dataDir, now());
    } catch (error) {
      console.warn('[avisa] ancla de auditoría:', error instanceof Error ? error.message : error);
    }
  };
  return { ops, anchor };
}
