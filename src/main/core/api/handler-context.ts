import type { AppStatus, ArgsOf, HandlerName, ResultOf, SendRate } from '../../../shared/api';
import type { ChannelId, Language } from '../../../shared/domain';
import type { OperationsStatus } from '../../../shared/operations';
import type { Campaigns } from '../campaigns/campaigns';
import type { FollowUps } from '../campaigns/follow-ups';
import type { ChannelManager } from '../channels/channel-manager';
import type { DocumentPipeline } from '../documents/pipeline';
import type { TokenCredential } from '../documents/token-credential';
import type { ProfessionalCredentials } from '../documents/professional-credentials';
import type { ResultsIntake } from '../intake/results-intake';
import type { Outbox } from '../outbox/outbox';
import type { Planner } from '../scheduler/planner';
import type { SettingsService } from '../settings/settings-service';
import type { ClinicDbRunner } from '../sources/clinic-db-runner';
import type { RetryOutcome } from '../sources/hl7/refused-inbox';
import type { Db } from '../store/db';
import type { PeopleContext } from './people-handlers';
import type { ServedCertificate } from './tls-certificate';
import { countByState, countOpenFailures } from '../store/messages-repo';

/** What every handler module may use: the core's modules, built once by the composition root. */
export interface HandlerContext {
  db: Db;
  settings: SettingsService;
  outbox: Outbox;
  channels: ChannelManager;
  /** Where PDFs given by hand are kept until sent. */
  documentsDir: string;
  /** The database's folder: the audit anchor file lives beside it. */
  dataDir: string;
  now: () => number;
  mode: 'desktop' | 'server';
  version: string;
  /** Called after settings that change how messages go out (channel, pause, Cloud API settings). */
  onSendingChanged: () => Promise<void>;
  planner: Planner;
  resultsIntake: ResultsIntake;
  documentPipeline: DocumentPipeline;
  /** The signing credential on a token or smart card (DNIe), when the clinic signs with one. */
  tokenCredential: TokenCredential;
  /** The professionals' own signing credentials (their token or .p12), linked to their person. */
  professionals: ProfessionalCredentials;
  /** Restarts the shared-folder watcher and the HL7 listener after their settings changed. */
  onSourcesChanged: () => Promise<void>;
  clinicDb: ClinicDbRunner;
  /** The port the HL7 listener took (tests ask for any free one), or null when it is off. */
  hl7Port: () => number | null;
  /** Processes a refused HL7 message again from the review list. */
  retryHl7: (id: number) => Promise<RetryOutcome>;
  campaigns: Campaigns;
  followUps: FollowUps;
  /** A channel's achieved send rate against its pace (Estado and Panel show it). */
  throughput?: (id: ChannelId) => SendRate;
  /** Backups and the disk under the database, for the header and the tray. */
  operations?: () => OperationsStatus;
  /** Appends a person's action to the audit trail. */
  audit: (action: string, entity: string, entityId: string | number | null, data?: Record<string, unknown>) => void;
  /** People, sessions and the desktop's unlocked person. */
  access: PeopleContext;
  /** The HTTPS certificate server mode serves beyond loopback; absent on the desktop and on loopback. */
  servedCertificate?: ServedCertificate;
}

/** The handlers of some API names, each typed by the contract. */
export type HandlersFor<N extends HandlerName> = {
  [K in N]: (args: ArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>>;
};

/** Who an action is recorded for in the audit trail and on message events. */
export const USER = 'usuario';

export const languageOf = (ctx: Pick<HandlerContext, 'settings'>) => (): Language => ctx.settings.get().language;

export function statusOf(ctx: HandlerContext): AppStatus {
  const s = ctx.settings.get();
  const counts = countByState(ctx.db);
  return {
    version: ctx.version,
    setupComplete: s.setupComplete,
    clinicName: s.clinicName,
    channel: s.channel,
    demo: s.channel === 'demo',
    sendingPaused: s.sendingPaused,
    queued: (counts.queued ?? 0) + (counts.sending ?? 0),
    failed: countOpenFailures(ctx.db),
    unknown: counts.unknown ?? 0,
    mode: ctx.mode,
    channelHealth: ctx.channels.health(),
    webhook: ctx.channels.webhookState(),
    hl7Port: ctx.hl7Port(),
    webhookSilentSince: ctx.channels.reception.silentSince(),
    sendRate: s.channel === 'cloud-api' ? (ctx.throughput?.('cloud-api') ?? null) : null,
    ...(ctx.operations ? { operations: ctx.operations() } : {}),
  };
}
