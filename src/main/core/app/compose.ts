import { join } from 'node:path';
import { DateTime } from 'luxon';
import { version } from '../../../../package.json';
import { statusOf, type HandlerContext } from '../api/handler-context';
import type { AppOptions } from '../app-types';
import { appendAudit } from '../audit/audit-log';
import { writeAnchor } from '../audit/audit-anchor';
import { channelManager } from '../channels/channel-manager';
import { eventBus } from '../events';
import { text } from '../i18n';
import { allGates, createDispatcher } from '../outbox/dispatcher';
import { channelThroughput, MAX_IN_FLIGHT } from '../outbox/throughput';
import { createOutbox } from '../outbox/outbox';
import { reconcileSending } from '../outbox/reconciler';
import { sendingChannel, settingsService } from '../settings/settings-service';
import { clinicDefaults, listSites } from '../store/clinic-repo';
import { catchUpReminders } from '../scheduler/catch-up';
import { createPlanner, type Planner } from '../scheduler/planner';
import { createCampaigns } from '../campaigns/campaigns';
import { createFollowUps } from '../campaigns/follow-ups';
import { businessMessageGate } from '../campaigns/send-gate';
import { applyReplyIntent } from '../scheduler/reply-intent';
import { lateReminderGate } from '../scheduler/late-gate';
import { quietHoursGate } from '../scheduler/quiet-gate';
import { createDocumentPipeline } from '../documents/pipeline';
import { signingTokenCredential } from '../documents/token-credential';
import { createResultsIntake } from '../intake/results-intake';
import { moveResolvedFile, startFolderSource, type FolderSource } from '../sources/folder-source';
import { orthancLookup } from '../sources/orthanc';
import {
  hl7Tls,
  startHl7Listener,
  type Hl7Decision,
  type Hl7Listener,
  type Hl7RefusedEvent,
  type Hl7Sender,
} from '../sources/hl7/listener';
import { hl7AppointmentDecision } from '../sources/hl7/appointment-decision';
import { keepRefusedHl7, retryRefusedHl7 } from '../sources/hl7/refused-inbox';
import type { Hl7Inbound } from '../sources/hl7/interpret';
import { incomingFromSource } from '../intake/source-result-adapter';
import { heldUnlessTrusted } from '../intake/source-trust';
import { receiveAppointment } from '../intake/appointments-intake';
import { receiveClinicDbAppointment } from '../intake/clinic-db-appointments';
import { clinicDbRunner } from '../sources/clinic-db-runner';
import { openDatabase } from '../store/db';
import { secureDataFolder } from '../store/data-folder';
import { sourceFileReader } from '../sources/source-file';
import { syncPanelClock } from '../metrics/clinic-clock';
import { getPatient } from '../store/patients-repo';
import { smtpConfigured } from '../channels/email/email-channel';
import { throttled } from './throttle';
import { desktopSeat } from '../people/caller';
import { createPeopleService } from '../people/people-service';
import { signOffRule } from '../people/sign-off';
import { createOperations } from '../operations';
import { certificateWarning } from '../jobs/certificate-check';

/** Builds every module from the settings and connects them along the message path. Nothing starts here. */
export function composeCore(options: AppOptions) {
  const now = options.now ?? Date.now;
  secureDataFolder(options.dataDir);
  const db = openDatabase(options.dataDir);
  const settings = settingsService(db, options.secretBox, now);
  const language = () => settings.get().language;
  const people = createPeopleService({ db, now, settings: () => settings.get().people });
  const access = { people, seat: desktopSeat(people) };
  const clinicZone = () => clinicDefaults(db).timeZone;
  const defaultCountry = () => clinicDefaults(db).country;
  // Roll-ups created by a migration count in UTC until they know the clinic's zone: recount now, not on first view.
  syncPanelClock(db, clinicZone());
  const bus = eventBus();
  const outbox = createOutbox(db, bus, now, language, {
    routeFor: (kind) => settings.get().routing[kind] ?? { primary: sendingChannel(settings), fallback: null },
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
  const sendChannel = () => sendingChannel(settings);
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
    onStorageError: (error) => {
      if (!ops.storage.report(error)) console.error('[avisa] estado o respuesta no guardados', error);
    },
    onLinkedDeviceEvent: (event) => {
      if (event.type === 'changed') bus.emit('linkedDevice.changed', event.view);
      if (event.type === 'alert') bus.emit('channel.alert', { channel: 'linked-device', alert: event.alert, reason: event.reason });
      if (event.type === 'ready') dispatcher.wake();
      announceStatus();
    },
    onReceptionChange: () => announceStatus(),
  });

  // Many messages change at once in a burst: the UI and tray hear about the totals at most every 300 ms.
  const announceStatus = throttled(300, () => bus.emit('status.changed', statusOf(ctx)));

  const throughput = channelThroughput({
    now,
    paceOf: (id) => (id === 'cloud-api' ? settings.get().cloudApi.maxPerSecond : 0),
  });
  const dispatcher = createDispatcher({
    db,
    outbox,
    channelFor: (id) => channels.channelFor(id),
    readyChannels: () => channels.readyChannels(),
    isPaused: () => settings.get().sendingPaused || settings.get().channelProblem !== null || ops.storage.fault() !== null,
    onStorageError: (error) => {
      if (!ops.storage.report(error)) console.error('[avisa] dispatcher', error);
    },
    now,
    maxPerSecond: (id) => (id === 'cloud-api' ? settings.get().cloudApi.maxPerSecond : 0),
    inFlightFor: throughput.inFlightFor,
    onSendTimed: throughput.onSendTimed,
    dailyCap: () => settings.get().dailyCap,
    dayOf,
    nextDayStart,
    maxInFlight: MAX_IN_FLIGHT,
    maxAttempts: 6,
    // Exponential with jitter, so many throttled messages do not all come back at the same instant.
    backoffMs: (attempt) =>
      Math.min((options.retryBaseMs ?? settings.get().cloudApi.retryBaseSeconds * 1000) * 2 ** (attempt - 1), 3_600_000) * (0.5 + Math.random() / 2),
    // Asked as each message leaves: a campaign or follow-up only while the patient's opt-in holds and within its
    // campaign's throttle; a reminder that pacing or the daily cap pushed into quiet hours is held to the morning or
    // expires, never sent at night; a reminder that came due late goes only while still worth it, never after its
    // appointment began.
    gate: allGates(businessMessageGate(db, language), lateReminderGate({ db, language }), quietHoursGate({ db, language })),
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
    channel: sendChannel,
    templateLanguage,
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
    defaultCountry,
    results: () => settings.get().results,
    onPatientChanged: (id) => planner.planPatient(id),
    onResolved: (item) => moveResolvedFile(item.sourceFile, settings.get().folderSource.signedCopy && item.document?.signed ? item.document.file : null),
    onChanged: () => announceStatus(),
    signOff: signOffRule(db, () => settings.get().signOff),
  });
  let folder: FolderSource | null = null;
  let hl7: Hl7Listener | null = null;
  const readSourceFile = sourceFileReader([options.dataDir]);
  const hl7Handler = async (inbound: Hl7Inbound, from: Hl7Sender): Promise<Hl7Decision> => {
    if (inbound.kind === 'results') {
      // Problems (unknown patient, bad PDF…) wait in "por revisar": the message itself was taken. A sender the clinic
      // has not listed as trusted is unauthenticated: its results wait for a person's approval.
      for (const record of inbound.records) {
        await resultsIntake.receive(heldUnlessTrusted(await incomingFromSource(record, readSourceFile), from.trusted));
      }
      return { accept: true };
    }
    const outcome = receiveAppointment(db, planner, inbound.record, {
      at: now(),
      language: language(),
      defaultCountry: defaultCountry(),
      siteCodes: settings.get().hl7.siteCodes,
    });
    return hl7AppointmentDecision(outcome);
  };
  const clinicDb = clinicDbRunner({
    db,
    settings,
    now,
    protectedDirs: [options.dataDir],
    onResult: async (record, from) =>
      void (await resultsIntake.receive(heldUnlessTrusted(await incomingFromSource(record, readSourceFile), from.trusted))),
    onAppointment: (record) => {
      const outcome = receiveClinicDbAppointment(db, planner, record, {
        at: now(),
        language: language(),
        defaultCountry: defaultCountry(),
        siteCodes: settings.get().clinicDb.appointments?.siteCodes ?? [],
      });
      if (!outcome.ok) console.warn('[avisa] cita no tomada (lista en Ajustes → Base de datos):', record.sourceKey, outcome.reason.es);
    },
    every: (name, seconds, run) => {
      ops.jobs.set({ name, rule: { kind: 'every', seconds }, zone: clinicZone(), run });
      return () => ops.jobs.remove(name);
    },
  });
  const closeSources = async (): Promise<void> => {
    await folder?.close();
    await hl7?.close();
    folder = null;
    hl7 = null;
  };
  /** (Re)starts the shared-folder watcher and the HL7 listener from their settings. */
  const restartSources = async (): Promise<void> => {
    await closeSources();
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
      const onRefused = (event: Hl7RefusedEvent): void => keepRefusedHl7(db, event, now());
      // Inside the promise: a missing certificate file is reported like a busy port, not a failed start.
      hl7 = await Promise.resolve()
        .then(() =>
          startHl7Listener({
            host: h.host,
            port: h.port,
            allowedAddresses: h.allowedAddresses,
            trustedSenders: h.trustedSenders,
            maxMessageBytes: h.maxMessageMb * 1024 * 1024,
            idleTimeoutMs: h.idleTimeoutSeconds * 1000,
            maxConnections: h.maxConnections,
            tls: hl7Tls(h),
            timeZone: clinicZone(),
            handler: hl7Handler,
            onRefused,
            now,
          }),
        )
        .catch((error: unknown) => {
          console.warn('[avisa] HL7:', error instanceof Error ? error.message : error);
          return null;
        });
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
  const anchor = (): void => {
    try {
      writeAnchor(db, options.dataDir, now());
    } catch (error) {
      console.warn('[avisa] ancla de auditoría:', error instanceof Error ? error.message : error);
    }
  };

  // Backups, every calendar job (node-schedule, each in its site's zone) and the disk under the database.
  const ops = createOperations({
    db,
    dataDir: options.dataDir,
    settings,
    mode: options.mode,
    version,
    now,
    language,
    clinicZone,
    siteZones: () => [...new Set(listSites(db).map((s) => s.timeZone))],
    bus,
    announce: () => announceStatus(),
    // Reminders enter the outbox as they come within the planning horizon; the hourly pass also runs the catch-up.
    advancePlanning: () => planner.advance(),
    checkCertificate: () => certificateWarning(documentPipeline.certificateStatus(), language()),
    wakeDispatcher: () => dispatcher.wake(),
  });

  const ctx: HandlerContext = {
    db,
    settings,
    outbox,
    channels,
    documentsDir,
    dataDir: options.dataDir,
    now,
    mode: options.mode,
    version,
    operations: () => ops.status(),
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
    // A message processed again by a person's click: its sender is no longer known, so its results wait for approval.
    retryHl7: (id) =>
      retryRefusedHl7(db, id, {
        zone: clinicZone(),
        handler: (inbound) => hl7Handler(inbound, { address: '', trusted: false }),
        at: now(),
      }),
    clinicDb,
    campaigns,
    followUps,
    throughput: (id) => throughput.view(id),
    audit: (action, entity, entityId, data = {}) =>
      appendAudit(db, { actor: 'usuario', action, entity, entityId, data }, now()),
    access,
    ...(options.servedCertificate ? { servedCertificate: options.servedCertificate } : {}),
  };

  return {
    db,
    settings,
    access,
    bus,
    now,
    language,
    outbox,
    planner,
    campaigns,
    channels,
    dispatcher,
    resultsIntake,
    clinicDb,
    ctx,
    announceStatus,
    reconcile,
    anchor,
    restartSources,
    closeSources,
    ops,
  };
}

export type ComposedCore = ReturnType<typeof composeCore>;
