import { join } from 'node:path';
import { DateTime } from 'luxon';
import { ZodError } from 'zod';
import { version } from '../../../package.json';
import type { ApiResponse } from '../../shared/api';
import { createHandlers, HandlerError, statusOf, type HandlerContext } from './api/handlers';
import { argSchemas } from './api/schemas';
import type { AppOptions, AvisaCore } from './app-types';
import { appendAudit } from './audit/audit-log';
import { writeAnchor } from './audit/audit-anchor';
import { channelManager } from './channels/channel-manager';
import { eventBus } from './events';
import { text } from './i18n';
import { DuplicatePatientError } from './intake/patients';
import { allGates, createDispatcher } from './outbox/dispatcher';
import { createOutbox, OutboxError } from './outbox/outbox';
import { reconcileSending } from './outbox/reconciler';
import { settingsService } from './settings/settings-service';
import { listSites } from './store/clinic-repo';
import { catchUpReminders } from './scheduler/catch-up';
import { createPlanner, type Planner } from './scheduler/planner';
import { CampaignError, createCampaigns } from './campaigns/campaigns';
import { createFollowUps } from './campaigns/follow-ups';
import { businessMessageGate } from './campaigns/send-gate';
import { applyReplyIntent } from './scheduler/reply-intent';
import { quietHoursGate } from './scheduler/quiet-gate';
import { createDocumentPipeline } from './documents/pipeline';
import { signingTokenCredential } from './documents/token-credential';
import { createResultsIntake, resultMessageSent } from './intake/results-intake';
import { moveResolvedFile, startFolderSource, type FolderSource } from './sources/folder-source';
import { orthancLookup } from './sources/orthanc';
import { startHl7Listener, type Hl7Decision, type Hl7Listener } from './sources/hl7/listener';
import type { Hl7Inbound } from './sources/hl7/interpret';
import { incomingFromSource } from './intake/source-result-adapter';
import { receiveAppointment } from './intake/appointments-intake';
import { clinicDbRunner } from './sources/clinic-db-runner';
import { openDatabase } from './store/db';
import { syncPanelClock } from './metrics/clinic-clock';
import { getPatient } from './store/patients-repo';
import { smtpConfigured } from './channels/email/email-channel';

export type { AvisaCore } from './app-types';

const RECONCILE_EVERY_MS = 60_000;
// How far the audit chain went is written beside the database this often (and at stop): rows removed from the end
// later than that are found by verify.
const ANCHOR_EVERY_MS = 2_000;
// Reminders enter the outbox as they come within the planning horizon; the hourly pass also runs the catch-up.
const ADVANCE_EVERY_MS = 3_600_000;

/** Composition root: builds every module from the settings and wires them along the message path. */
export function createApp(options: AppOptions): AvisaCore {
  const now = options.now ?? Date.now;
  const db = openDatabase(options.dataDir);
  const settings = settingsService(db, options.secretBox, now);
  const language = () => settings.get().language;
  const clinicZone = () => listSites(db)[0]?.timeZone ?? 'UTC';
  // Roll-ups created by a migration count in UTC until they know the clinic's zone: recount now, not on first view.
  syncPanelClock(db, clinicZone());
  const bus = eventBus();
  const outbox = createOutbox(db, bus, now, language, {
    routeFor: (kind) => settings.get().routing[kind] ?? { primary: settings.get().channel ?? 'demo', fallback: null },
    // What a reply means for an appointment (confirm, cancel, opt-out, or a person must read it).
    onReplyRecorded: ({ id, messageId, reply }) =>
      applyReplyIntent(
        { db, outbox, planner, now, language, onAppointmentAnswered: () => void clinicDb.writeBackNow() },
        { replyId: id, messageId, fromPhone: reply.fromPhone, body: reply.body, payload: reply.payload },
      ),
    emailFor: (message) => {
      const email = settings.get().email;
      if (!email.fallback || !smtpConfigured(email) || message.patientId === null) return null;
      return getPatient(db, message.patientId)?.email ?? null;
    },
  });
  const sendChannel = () => settings.get().channel ?? 'demo';
  const templateLanguage = () => settings.get().cloudApi.templateLanguage;
  const followUps = createFollowUps({ db, outbox, now, language, channel: sendChannel, templateLanguage });
  const campaigns = createCampaigns({ db, outbox, now, language, channel: sendChannel, timeZone: clinicZone, templateLanguage });
  const reminderPlanner = createPlanner({ db, outbox, now, language, channel: sendChannel, bus });
  // Every change of an appointment (front desk, clinic database, HL7) goes through the planner: a visit that became
  // attended gets its follow-ups there, one that stopped being attended loses the queued ones.
  const planner: Planner = {
    ...reminderPlanner,
    planAppointment(id) {
      const summary = reminderPlanner.planAppointment(id);
      followUps.planAppointment(id);
      return summary;
    },
    planAppointments(ids) {
      const summary = reminderPlanner.planAppointments(ids);
      for (const id of ids) followUps.planAppointment(id);
      return summary;
    },
  };
  const dayOf = (at: number) => DateTime.fromMillis(at, { zone: clinicZone() }).toISODate() ?? '';
  const nextDayStart = (at: number) =>
    DateTime.fromMillis(at, { zone: clinicZone() }).plus({ days: 1 }).startOf('day').toMillis();
  const channels = channelManager({
    db,
    settings,
    outbox,
    now,
    webhookHost: options.webhookHost ?? process.env.AVISA_WEBHOOK_HOST ?? '127.0.0.1',
    webhookPort: options.webhookPort,
    secretBox: options.secretBox,
    dayOf,
    nextDayStart,
    makeSocket: options.makeSocket,
    onLinkedDeviceEvent: (event) => {
      if (event.type === 'changed') bus.emit('linkedDevice.changed', event.view);
      if (event.type === 'alert') bus.emit('channel.alert', { channel: 'linked-device', alert: event.alert, reason: event.reason });
      if (event.type === 'ready') dispatcher.wake();
      announceStatus();
    },
  });

  let statusTimer: NodeJS.Timeout | null = null;
  const announceStatus = (): void => {
    // Many messages change at once in a burst: tell the UI and tray about the totals at most every 300 ms.
    if (statusTimer) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      bus.emit('status.changed', statusOf(ctx));
    }, 300);
  };

  const dispatcher = createDispatcher({
    db,
    outbox,
    channelFor: (id) => channels.channelFor(id),
    readyChannels: () => channels.readyChannels(),
    isPaused: () => settings.get().sendingPaused || settings.get().channelProblem !== null,
    now,
    maxPerSecond: (id) => (id === 'cloud-api' ? settings.get().cloudApi.maxPerSecond : 0),
    dailyCap: () => settings.get().dailyCap,
    dayOf,
    nextDayStart,
    maxInFlight: 16,
    maxAttempts: 6,
    // Exponential with jitter, so many throttled messages do not all come back at the same instant.
    backoffMs: (attempt) =>
      Math.min((options.retryBaseMs ?? 30_000) * 2 ** (attempt - 1), 3_600_000) * (0.5 + Math.random() / 2),
    // Asked as each message leaves: a campaign or follow-up only while the patient's opt-in holds and within its
    // campaign's throttle; a reminder that pacing or the daily cap pushed into quiet hours is held to the morning or
    // expires, never sent at night.
    gate: allGates(businessMessageGate(db, language), quietHoursGate({ db, language })),
    onAccountProblem: (code, reason) => {
      settings.update({ channelProblem: { code, reason, at: now() } });
      appendAudit(db, { actor: 'system', action: 'channel.paused', entity: 'channel', entityId: code, data: { reason } }, now());
      announceStatus();
    },
  });

  const documentsDir = join(options.dataDir, 'documents');
  const tokenCredential = signingTokenCredential(() => settings.get().signing, now);
  const documentPipeline = createDocumentPipeline({
    db,
    outbox,
    documentsDir,
    now,
    timeZone: clinicZone,
    channel: () => settings.get().channel ?? 'demo',
    templateLanguage: () => settings.get().cloudApi.templateLanguage,
    results: () => settings.get().results,
    signing: () => settings.get().signing,
    certificate: () => {
      const p12 = settings.getSecret('certificate.p12');
      return p12 ? { p12: Buffer.from(p12, 'base64'), password: settings.getSecret('certificate.password') ?? '' } : null;
    },
    tokenCredential: () => (settings.get().signing.credential === 'token' ? tokenCredential.current() : null),
    lookupStudyUid: orthancLookup(() => {
      const r = settings.get().results;
      return r.orthancUrl ? { url: r.orthancUrl, username: r.orthancUsername, password: settings.getSecret('orthanc.password') ?? '' } : null;
    }),
  });
  const resultsIntake = createResultsIntake({
    db,
    pipeline: documentPipeline,
    originalsDir: join(documentsDir, 'originals'),
    now,
    language,
    defaultCountry: () => listSites(db)[0]?.country ?? 'PE',
    results: () => settings.get().results,
    onPatientChanged: (id) => planner.planPatient(id),
    onResolved: (item) => moveResolvedFile(item.sourceFile, settings.get().folderSource.signedCopy && item.document?.signed ? item.document.file : null),
    onChanged: () => announceStatus(),
  });
  let folder: FolderSource | null = null;
  let hl7: Hl7Listener | null = null;
  const hl7Handler = async (inbound: Hl7Inbound): Promise<Hl7Decision> => {
    if (inbound.kind === 'results') {
      // Problems (unknown patient, bad PDF…) wait in "por revisar": the message itself was taken.
      for (const record of inbound.records) await resultsIntake.receive(await incomingFromSource(record));
      return { accept: true };
    }
    const outcome = receiveAppointment(db, planner, inbound.record, {
      at: now(),
      language: language(),
      defaultCountry: listSites(db)[0]?.country ?? 'PE',
    });
    return outcome.ok ? { accept: true } : { accept: false, ack: 'AE', ...outcome.reason };
  };
  const clinicDb = clinicDbRunner({
    db,
    settings,
    now,
    onResult: async (record) => void (await resultsIntake.receive(await incomingFromSource(record))),
    onAppointment: (record) => {
      const outcome = receiveAppointment(db, planner, record, {
        at: now(),
        language: language(),
        defaultCountry: listSites(db)[0]?.country ?? 'PE',
      });
      if (!outcome.ok) console.warn('[avisa] cita no tomada:', record.sourceKey, outcome.reason.es);
    },
  });
  /** (Re)starts the shared-folder watcher and the HL7 listener from their settings. */
  const restartSources = async (): Promise<void> => {
    await folder?.close();
    await hl7?.close();
    folder = null;
    hl7 = null;
    const f = settings.get().folderSource;
    if (f.enabled && f.path) {
      folder = startFolderSource({
        settings: f,
        sink: resultsIntake,
        now,
        onError: (error) => console.warn('[avisa] carpeta compartida:', error.message),
      });
    }
    const h = settings.get().hl7;
    if (h.enabled) {
      hl7 = await startHl7Listener({ host: h.host, port: h.port, timeZone: clinicZone(), handler: hl7Handler, now }).catch(
        (error: unknown) => {
          console.warn('[avisa] HL7:', error instanceof Error ? error.message : error);
          return null;
        },
      );
    }
  };

  const reconcile = () =>
    reconcileSending({
      db,
      outbox,
      now,
      graceMs: () => settings.get().unknownAfterMinutes * 60_000,
      autoResend: () => settings.get().autoResendUnknown,
      reason: () => text(language(), 'message.unconfirmed'),
    });
  let reconcileTimer: NodeJS.Timeout | null = null;
  let anchorTimer: NodeJS.Timeout | null = null;
  const anchor = (): void => {
    try {
      writeAnchor(db, options.dataDir, now());
    } catch (error) {
      console.warn('[avisa] ancla de auditoría:', error instanceof Error ? error.message : error);
    }
  };
  let advanceTimer: NodeJS.Timeout | null = null;

  const ctx: HandlerContext = {
    db,
    settings,
    outbox,
    channels,
    documentsDir: join(options.dataDir, 'documents'),
    dataDir: options.dataDir,
    now,
    mode: options.mode,
    version,
    onSendingChanged: async () => {
      await channels.apply();
      // Sending was off for a while: judge late reminders before they can go out in a burst.
      catchUpReminders({ db, outbox, now, language });
      dispatcher.wake();
      announceStatus();
    },
    planner,
    resultsIntake,
    documentPipeline,
    tokenCredential,
    onSourcesChanged: restartSources,
    hl7Port: () => hl7?.port ?? null,
    clinicDb,
    campaigns,
    followUps,
    audit: (action, entity, entityId, data = {}) =>
      appendAudit(db, { actor: 'usuario', action, entity, entityId, data }, now()),
  };
  const handlers = createHandlers(ctx);

  // Campaigns move to sending and done as their messages go; many change at once, so look at most twice a second.
  let campaignTimer: NodeJS.Timeout | null = null;
  const refreshCampaignsSoon = (): void => {
    if (campaignTimer) return;
    campaignTimer = setTimeout(() => {
      campaignTimer = null;
      campaigns.refresh();
    }, 500);
  };

  bus.subscribe((event) => {
    if (event.name === 'message.changed') {
      announceStatus();
      refreshCampaignsSoon();
      if (event.data.state === 'sent') resultMessageSent(db, event.data.id, now());
      if (event.data.state === 'queued') dispatcher.wake();
    }
  });

  const invoke = async (name: string, args: unknown): Promise<ApiResponse<unknown>> => {
    if (!Object.hasOwn(argSchemas, name)) {
      return { ok: false, error: { code: 'unknown_handler', message: text(language(), 'error.unknown_handler', name) } };
    }
    const key = name as keyof typeof argSchemas;
    try {
      const parsed: unknown = argSchemas[key].parse(args ?? {});
      const handler = handlers[key] as (a: unknown) => unknown;
      return { ok: true, result: await handler(parsed) };
    } catch (error) {
      if (error instanceof ZodError) {
        const detail = error.issues.map((i) => `${i.path.join('.') || '·'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'invalid_args', message: text(language(), 'error.invalid_args', detail) } };
      }
      if (error instanceof HandlerError || error instanceof OutboxError || error instanceof CampaignError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      if (error instanceof DuplicatePatientError) {
        return { ok: false, error: { code: 'duplicate_patient', message: error.message } };
      }
      console.error(`[avisa] ${name} failed`, error);
      return { ok: false, error: { code: 'internal', message: text(language(), 'error.internal', String(error)) } };
    }
  };

  return {
    invoke,
    subscribe: bus.subscribe,
    status: () => statusOf(ctx),
    async start() {
      await channels.apply();
      // Before the first send: reminders missed while Avisa was off are sent once or expired, never in a burst.
      planner.planUpcoming();
      advanceTimer = setInterval(() => planner.advance(), ADVANCE_EVERY_MS);
      advanceTimer.unref();
      reconcile();
      // Results a crash left approved but never enqueued go through now; then the folder is watched again.
      await resultsIntake.resume();
      await restartSources();
      await clinicDb.restart();
      reconcileTimer = setInterval(reconcile, RECONCILE_EVERY_MS);
      reconcileTimer.unref();
      anchor();
      anchorTimer = setInterval(anchor, ANCHOR_EVERY_MS);
      anchorTimer.unref();
      dispatcher.wake();
    },
    async stop() {
      if (reconcileTimer) clearInterval(reconcileTimer);
      if (advanceTimer) clearInterval(advanceTimer);
      await folder?.close();
      await hl7?.close();
      await clinicDb.stop();
      await resultsIntake.idle();
      tokenCredential.lock();
      await dispatcher.stop();
      await channels.close();
      if (statusTimer) clearTimeout(statusTimer);
      if (campaignTimer) clearTimeout(campaignTimer);
      if (anchorTimer) clearInterval(anchorTimer);
      anchor();
      db.close();
    },
  };
}
