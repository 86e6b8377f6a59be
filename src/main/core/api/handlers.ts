import type { AppStatus, ArgsOf, HandlerName, ResultOf } from '../../../shared/api';
import { verifyAnchoredAudit } from '../audit/audit-anchor';
import { startDemo } from './demo-start';
import { text } from '../i18n';
import { registerPatient, updatePatient } from '../intake/patients';
import type { Outbox } from '../outbox/outbox';
import type { SettingsService } from '../settings/settings-service';
import { insertService, insertSite, listServices, listSites } from '../store/clinic-repo';
import { listAppointments } from '../store/appointments-repo';
import type { Db } from '../store/db';
import { countByState, countOpenFailures, listMessages } from '../store/messages-repo';
import { panelReport } from '../metrics/panel';
import { panelCsv } from '../metrics/panel-csv';
import { syncPanelClock } from '../metrics/clinic-clock';
import { listPatients } from '../store/patients-repo';
import type { ChannelManager } from '../channels/channel-manager';
import type { MessageTimeline } from '../../../shared/api';
import { getMessage, messageEvents, relatedMessages, repliesTo } from '../store/messages-repo';
import { sendTestEmail, smtpConfigured } from '../channels/email/email-channel';
import { collectEvidence } from '../audit/evidence';
import { evidenceCsv } from '../audit/evidence-csv';
import { evidencePdf } from '../audit/evidence-pdf';
import { getPatient } from '../store/patients-repo';
import { DateTime } from 'luxon';
import { normalisePhone } from '../intake/phone';
import { sendManually } from '../outbox/manual-send';
import type { Planner } from '../scheduler/planner';
import { reminderHandlers } from './reminder-handlers';
import { consentHandlers } from './consent-handlers';
import { resultsHandlers } from './results-handlers';
import { undeliveredHandlers } from './undelivered-handlers';
import type { ClinicDbRunner } from '../sources/clinic-db-runner';
import type { ResultsIntake } from '../intake/results-intake';
import type { DocumentPipeline } from '../documents/pipeline';
import type { Campaigns } from '../campaigns/campaigns';
import type { FollowUps } from '../campaigns/follow-ups';
import { campaignHandlers } from './campaign-handlers';

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
  /** Restarts the shared-folder watcher and the HL7 listener after their settings changed. */
  onSourcesChanged: () => Promise<void>;
  clinicDb: ClinicDbRunner;
  /** The port the HL7 listener took (tests ask for any free one), or null when it is off. */
  hl7Port: () => number | null;
  campaigns: Campaigns;
  followUps: FollowUps;
  /** Appends a person's action to the audit trail. */
  audit: (action: string, entity: string, entityId: string | number | null, data?: Record<string, unknown>) => void;
}

export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Handlers = { [N in HandlerName]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

const USER = 'usuario';

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
  };
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const lang = () => ctx.settings.get().language;
  const audit = ctx.audit;
  /** The chain checked now, its reason in the clinic's language. */
  const localVerification = () => {
    const { anchored: _anchored, ...result } = verifyAnchoredAudit(ctx.db, ctx.dataDir);
    return { ...result, reason: result.reason ? text(lang(), `audit.${result.reason}`) : null };
  };

  return {
    'app.status': () => statusOf(ctx),

    'setup.complete': async (args) => {
      if (ctx.settings.get().setupComplete) throw new HandlerError('already_setup', text(lang(), 'error.already_setup'));
      const at = ctx.now();
      const { sites, services } = ctx.db.transaction(() => {
        const sites = args.sites.map((s) => insertSite(ctx.db, s, at));
        const services = args.services.map((s) => insertService(ctx.db, s.name, at));
        ctx.settings.update({
          clinicName: args.clinicName,
          channel: args.channel,
          language: args.language ?? lang(),
          setupComplete: true,
        });
        audit('setup.completed', 'clinic', null, { clinicName: args.clinicName, channel: args.channel });
        return { sites, services };
      })();
      await ctx.onSendingChanged();
      if (args.channel === 'demo') await startDemo(ctx, { sites, services, now: at });
      return statusOf(ctx);
    },

    'panel.summary': (args) => panelReport(ctx.db, args, panelContext(ctx)),

    'panel.csv': (args) => {
      const sites = new Map(listSites(ctx.db).map((s) => [s.id, s.name]));
      const services = new Map(listServices(ctx.db).map((s) => [s.id, s.name]));
      return panelCsv(panelReport(ctx.db, args, panelContext(ctx)), lang(), {
        site: (id) => sites.get(id) ?? String(id),
        service: (id) => services.get(id) ?? String(id),
      });
    },

    'messages.list': (args) =>
      listMessages(ctx.db, { ...args, limit: args.limit ?? 50, offset: args.offset ?? 0 }),

    'messages.resend': (args) => {
      const message = ctx.outbox.resend(args.id, USER);
      audit('message.resend_requested', 'message', args.id, { newMessageId: message.id });
      return message;
    },

    'messages.cancel': (args) => ctx.outbox.cancel(args.id, USER),

    'patients.list': (args) =>
      listPatients(ctx.db, { search: args.search, limit: args.limit ?? 50, offset: args.offset ?? 0 }),

    'patients.create': (args) => {
      const defaultCountry = listSites(ctx.db)[0]?.country ?? 'PE';
      const patient = registerPatient(
        ctx.db,
        { ...args, email: args.email || null },
        { at: ctx.now(), language: lang(), defaultCountry },
      );
      audit('patient.created', 'patient', patient.id, { consent: patient.consent });
      return patient;
    },

    'patients.update': (args) => {
      const defaultCountry = listSites(ctx.db)[0]?.country ?? 'PE';
      const patient = updatePatient(ctx.db, { ...args, email: args.email === '' ? null : args.email }, {
        at: ctx.now(),
        language: lang(),
        defaultCountry,
      });
      if (!patient) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      // A new phone or consent changes which reminders can go.
      if (args.phone !== undefined || args.consent !== undefined) ctx.planner.planPatient(patient.id);
      audit('patient.updated', 'patient', patient.id, { changed: Object.keys(args).filter((k) => k !== 'id') });
      return patient;
    },

    'appointments.list': (args) => listAppointments(ctx.db, args),
    'sites.list': () => listSites(ctx.db),
    'services.list': () => listServices(ctx.db),
    'settings.get': () => ctx.settings.view(),

    'settings.update': async (args) => {
      ctx.settings.update(args);
      // Settings hold no secrets (those go through secrets.set): the new values themselves are the evidence.
      audit('settings.updated', 'settings', null, { changed: Object.keys(args), values: args });
      if (['channel', 'sendingPaused', 'cloudApi', 'routing', 'email'].some((k) => k in args)) await ctx.onSendingChanged();
      if ('folderSource' in args || 'hl7' in args) await ctx.onSourcesChanged();
      return ctx.settings.view();
    },

    'secrets.set': async (args) => {
      ctx.settings.setSecret(args.name, args.value);
      // The value itself never reaches the audit trail.
      audit('secret.updated', 'secret', args.name);
      await ctx.onSendingChanged();
      return ctx.settings.view();
    },

    'sending.resume': async () => {
      ctx.settings.update({ sendingPaused: false, channelProblem: null });
      ctx.channels.linkedDevice.resume();
      audit('sending.resumed', 'channel', ctx.settings.get().channel);
      await ctx.onSendingChanged();
      return statusOf(ctx);
    },

    'messages.timeline': (args) => {
      const message = getMessage(ctx.db, args.id);
      if (!message) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      return {
        message,
        events: messageEvents(ctx.db, args.id) as MessageTimeline['events'],
        replies: repliesTo(ctx.db, args.id),
        related: relatedMessages(ctx.db, args.id),
      };
    },

    'messages.send': (args) => {
      const message = sendManually(ctx, args, USER);
      audit('message.manual_send', 'message', message.id, { mode: args.mode });
      return message;
    },

    'linkedDevice.view': () => ctx.channels.linkedDevice.view(),
    'linkedDevice.link': (args) => {
      audit('linked_device.link', 'channel', 'linked-device', { method: args.method });
      return ctx.channels.linkedDevice.link(args);
    },
    'linkedDevice.unlink': async () => {
      audit('linked_device.unlink', 'channel', 'linked-device');
      return ctx.channels.linkedDevice.unlink();
    },
    'linkedDevice.reconnect': () => {
      audit('linked_device.reconnect', 'channel', 'linked-device');
      return ctx.channels.linkedDevice.reconnect();
    },

    'cloudApi.templates': () => ctx.channels.templates(),
    'cloudApi.syncTemplates': async () => {
      try {
        const templates = await ctx.channels.syncTemplates();
        audit('templates.synced', 'templates', null, { count: templates.length });
        return templates;
      } catch (error) {
        audit('templates.sync_failed', 'templates', null);
        throw new HandlerError('sync_failed', error instanceof Error ? error.message : String(error));
      }
    },
    'cloudApi.check': () => ctx.channels.check(),
    'cloudApi.sendTest': (args) => {
      const site = listSites(ctx.db)[0];
      const phone = normalisePhone(args.phone, site?.country ?? 'PE');
      if (!phone.ok) throw new HandlerError('invalid_phone', text(lang(), `phone.${phone.code}`));
      const message = ctx.outbox.enqueue(
        {
          kind: 'manual',
          idempotencyKey: `test:${ctx.now()}`,
          patientId: null,
          siteId: site?.id ?? null,
          serviceId: null,
          appointmentId: null,
          resultId: null,
          resendOf: null,
          channel: ctx.settings.get().channel ?? 'cloud-api',
          toPhone: phone.e164,
          templateName: null,
          templateParams: [],
          body: args.text ?? text(lang(), 'message.test_body', ctx.settings.get().clinicName),
          // Nobody wrote to the clinic from a test number: free text would bounce off the closed window.
          asTemplate: true,
          priority: 0,
          notBefore: ctx.now(),
        },
        USER,
      ).message;
      audit('message.test_sent', 'message', message.id);
      return message;
    },

    ...reminderHandlers(ctx, ctx.planner),
    ...consentHandlers(ctx),
    ...resultsHandlers(ctx, ctx.resultsIntake, ctx.documentPipeline),
    ...undeliveredHandlers(ctx),
    ...campaignHandlers({ ...ctx, language: lang }),

    'sources.clinicDb.set': async (args) => {
      if (args.password !== undefined) ctx.settings.setSecret(`clinicDb.${args.kind}.password`, args.password);
      const config = args.config && { ...args.config, connection: { ...args.config.connection, password: undefined } };
      const { [args.kind]: _old, ...cursors } = ctx.settings.get().clinicDbCursors;
      // A new query or connection reads from its initial cursor again; the source keys keep rows read twice as one.
      ctx.settings.update({ clinicDb: { ...ctx.settings.get().clinicDb, [args.kind]: config }, clinicDbCursors: cursors });
      audit('sources.clinic_db_set', 'source', args.kind, { enabled: config?.enabled ?? false, passwordChanged: args.password !== undefined });
      await ctx.clinicDb.restart();
      const { results, appointments } = ctx.settings.get().clinicDb;
      return { results, appointments };
    },
    'sources.clinicDb.test': async (args) => {
      const outcome = await ctx.clinicDb.test(args.kind);
      if (!outcome) throw new HandlerError('not_configured', text(lang(), 'error.not_found'));
      if (!outcome.ok) return { ok: false, ...outcome.error };
      return { ok: true, columns: outcome.columns, rows: outcome.rows, missing: outcome.missingColumns };
    },

    'email.sendTest': async (args) => {
      const config = ctx.channels.smtp();
      if (!smtpConfigured(config)) {
        return { ok: false, messageId: null, code: 'not_configured', error: text(lang(), 'email.not_configured') };
      }
      const outcome = await sendTestEmail(config, args.to, lang(), ctx.settings.get().clinicName);
      audit('email.test_sent', 'channel', 'email', { ok: outcome.ok, code: outcome.ok ? null : outcome.code });
      return outcome.ok
        ? { ok: true, messageId: outcome.messageId, code: null, error: null }
        : { ok: false, messageId: null, code: outcome.code, error: outcome.reason };
    },

    'evidence.export': async (args) => {
      const patient = getPatient(ctx.db, args.patientId);
      if (!patient) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      const site = listSites(ctx.db).find((s) => s.id === patient.siteId) ?? listSites(ctx.db)[0];
      const zone = site?.timeZone ?? 'UTC';
      const evidence = collectEvidence(ctx.db, {
        patient,
        from: args.from,
        to: args.to,
        clinicName: ctx.settings.get().clinicName,
        timeZone: zone,
        language: lang(),
        now: ctx.now(),
        verification: localVerification(),
      });
      audit('evidence.exported', 'patient', patient.id, { format: args.format, from: args.from ?? null, to: args.to ?? null });
      const day = DateTime.fromMillis(ctx.now(), { zone }).toFormat('yyyyLLdd');
      const name = `evidencia-${patient.documentType}-${patient.documentNumber}-${day}`;
      if (args.format === 'csv') {
        const csv = evidenceCsv(evidence);
        return { filename: `${name}.csv`, mimeType: 'text/csv;charset=utf-8', base64: Buffer.from(csv, 'utf8').toString('base64') };
      }
      const pdf = await evidencePdf(evidence);
      return { filename: `${name}.pdf`, mimeType: 'application/pdf', base64: Buffer.from(pdf).toString('base64') };
    },

    'audit.verify': () => localVerification(),
  };
}

/** The clinic's zone is its first site's, as everywhere else; the Panel's calendar follows it. */
function panelContext(ctx: HandlerContext): { timeZone: string; now: number } {
  const timeZone = listSites(ctx.db)[0]?.timeZone ?? 'UTC';
  syncPanelClock(ctx.db, timeZone);
  return { timeZone, now: ctx.now() };
}
