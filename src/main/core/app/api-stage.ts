import { version } from '../../../../package.json';
import { statusOf, type HandlerContext } from '../api/handler-context';
import type { AppOptions } from '../app-types';
import { appendAudit } from '../audit/audit-log';
import type { Campaigns } from '../campaigns/campaigns';
import type { FollowUps } from '../campaigns/follow-ups';
import type { ResultsIntake } from '../intake/results-intake';
import type { Operations } from '../operations';
import type { Planner } from '../scheduler/planner';
import { catchUpReminders } from '../scheduler/catch-up';
import type { DocumentsStage } from './documents-stage';
import type { OutboxStage } from './outbox-stage';
import type { SourcesStage } from './sources-stage';
import type { StoreStage } from './store-stage';
import { throttled } from './throttle';

interface ApiInputs {
  messaging: OutboxStage;
  scheduling: { planner: Planner; campaigns: Campaigns; followUps: FollowUps };
  documents: DocumentsStage;
  resultsIntake: ResultsIntake;
  sources: SourcesStage;
  ops: Operations;
}

/** What the API handlers see of the core, and the throttled "totals changed" announcement for the UI and tray. */
export function buildApi(options: AppOptions, s: StoreStage, p: ApiInputs) {
  const { db, now, language } = s;
  const { outbox, channels, dispatcher, throughput } = p.messaging;
  const ctx: HandlerContext = {
    db,
    settings: s.settings,
    outbox,
    channels,
    documentsDir: p.documents.documentsDir,
    dataDir: options.dataDir,
    now,
    mode: options.mode,
    version,
    operations: () => p.ops.status(),
    onSendingChanged: async () => {
      await channels.apply();
      // Sending was off for a while: judge late reminders before they can go out in a burst.
      catchUpReminders({ db, outbox, now, language });
      dispatcher.wake();
      announceStatus();
    },
    planner: p.scheduling.planner,
    resultsIntake: p.resultsIntake,
    documentPipeline: p.documents.documentPipeline,
    tokenCredential: p.documents.tokenCredential,
    onSourcesChanged: p.sources.restartSources,
    hl7Port: p.sources.hl7Port,
    retryHl7: p.sources.retryHl7,
    clinicDb: p.sources.clinicDb,
    campaigns: p.scheduling.campaigns,
    followUps: p.scheduling.followUps,
    throughput: (id) => throughput.view(id),
    audit: (action, entity, entityId, data = {}) =>
      appendAudit(db, { actor: 'usuario', action, entity, entityId, data }, now()),
    access: s.access,
  };
  // Many messages change at once in a burst: the UI and tray hear about the totals at most every 300 ms.
  const announceStatus = throttled(300, () => s.bus.emit('status.changed', statusOf(ctx)));
  return { ctx, announceStatus };
}
