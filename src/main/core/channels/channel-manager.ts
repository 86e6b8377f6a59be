import type { ChannelHealth, CloudApiCheck, LinkedDeviceView, TemplateInfo } from '../../../shared/api';
import type { SecretBox } from '../secrets/secret-box';
import { linkedDeviceChannel, type LinkedDeviceChannel, type LinkedDeviceEvent } from './linked-device/linked-device-channel';
import { baileysSocketFactory, type SocketFactory } from './linked-device/socket';
import type { BudgetSettings } from './linked-device/budget';
import type { LinkedDeviceBudgetSettings } from '../../../shared/settings';
import type { ChannelId, Language } from '../../../shared/domain';
import type { Settings } from '../settings/schema';
import { text } from '../i18n';
import type { Outbox } from '../outbox/outbox';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/db';
import { findTemplate, listTemplates } from '../store/templates-repo';
import { parseWebhook } from './cloud-api/webhook-payload';
import { webhookInbox } from '../webhooks/webhook-inbox';
import { webhookReceiver } from '../webhooks/webhook-receiver';
import { insertRefusal } from '../store/reception-repo';
import { webhookReception } from './cloud-api/reception';
import type { Channel, ChannelListeners } from './channel';
import { cloudApiChannel } from './cloud-api/cloud-api-channel';
import { reasonFor } from './cloud-api/error-policy';
import { graphClient } from './cloud-api/graph-client';
import { syncTemplates } from './cloud-api/templates';
import { demoChannel } from './demo/demo-channel';
import { emailChannel, smtpConfigured, type SmtpConfig } from './email/email-channel';
import { templateBodyText } from '../store/templates-repo';

export interface ChannelManagerOptions {
  db: Db;
  settings: SettingsService;
  outbox: Outbox;
  now: () => number;
  /** Where the webhook receiver listens; loopback unless the clinic's proxy runs on another machine. */
  webhookHost: string;
  webhookPort?: number;
  secretBox: SecretBox;
  /** The clinic's local day and the next local midnight: the phone's caps count per local day. */
  dayOf: (at: number) => string;
  nextDayStart: (at: number) => number;
  /** Baileys' socket; tests pass a fake. */
  makeSocket?: SocketFactory;
  onLinkedDeviceEvent: (event: LinkedDeviceEvent) => void;
  /** Webhook reception changed (public address, registration at Meta, tunnel state): the header and tray may too. */
  onReceptionChange?: () => void;
  /** A webhook body was taken or refused: Recepción's last webhook and refusal count changed. */
  onReceptionActivity?: () => void;
  /** A status or reply could not be written (disk full, file locked): told here rather than thrown into a timer. */
  onStorageError?: (error: unknown) => void;
}

function budgetOf(s: LinkedDeviceBudgetSettings): BudgetSettings {
  return {
    minGapMs: s.minGapSeconds * 1000,
    maxGapMs: Math.max(s.minGapSeconds, s.maxGapSeconds) * 1000,
    dailyCap: s.dailyCap,
    firstContactDailyCap: s.firstContactDailyCap,
    failureThreshold: s.failurePauseCount,
    failureWindowMs: s.failureWindowMinutes * 60_000,
    warmupStartCap: s.warmupStartCap,
    warmupDays: s.warmupDays,
  };
}

/** The channels the settings use: the main one, every primary and fallback of the routing per kind, and e-mail. */
export function channelsInUse(s: Settings): Set<ChannelId> {
  const used = new Set<ChannelId>();
  // Open whenever a mail server is set: a person may send a document by e-mail even with the automatic copy off.
  if (smtpConfigured(s.email)) used.add('email');
  if (s.channel) used.add(s.channel);
  for (const route of Object.values(s.routing)) {
    if (!route) continue;
    used.add(route.primary);
    if (route.fallback) used.add(route.fallback);
  }
  return used;
}

/** Opens the channels the settings use, runs the Cloud API webhook receiver with them, and reports their health. */
export function channelManager(o: ChannelManagerOptions) {
  const language = (): Language => o.settings.get().language;
  const open = new Map<ChannelId, Channel>();
  // The phone's socket lives across pauses and settings changes: reopening it would reconnect to WhatsApp.
  let device: LinkedDeviceChannel | null = null;

  const guarded = <T>(write: (value: T) => void) => (value: T): void => {
    if (!o.onStorageError) return write(value);
    try {
      write(value);
    } catch (error) {
      o.onStorageError(error);
    }
  };
  const listeners: ChannelListeners = {
    status: guarded((s) => o.outbox.applyProviderStatus(s)),
    reply: guarded((r) => o.outbox.recordReply(r)),
  };
  const client = graphClient(() => ({
    ...o.settings.get().cloudApi,
    accessToken: o.settings.getSecret('cloudApi.accessToken') ?? '',
  }));
  const cloudConfigured = () =>
    o.settings.get().cloudApi.phoneNumberId !== '' && o.settings.getSecret('cloudApi.accessToken') !== null;

  const smtp = (): SmtpConfig => ({ ...o.settings.get().email, password: o.settings.getSecret('email.password') });

  const openChannel = (id: ChannelId): Channel | null => {
    const s = o.settings.get();
    switch (id) {
      case 'email':
        return emailChannel({
          config: smtp(),
          language,
          clinicName: () => o.settings.get().clinicName,
          templateBody: (name, lang) => templateBodyText(o.db, name, lang),
        });
      case 'demo':
        return demoChannel(listeners, { now: o.now, failureReason: text(language(), 'demo.not_on_whatsapp') });
      case 'cloud-api':
        if (!cloudConfigured()) return null;
        return cloudApiChannel({
          client,
          language,
          fallbackTemplate: () => ({
            name: o.settings.get().cloudApi.fallbackTemplate,
            language: o.settings.get().cloudApi.templateLanguage,
            documentName: o.settings.get().cloudApi.documentTemplate,
          }),
          findTemplate: (name, lang) => findTemplate(o.db, name, lang),
          maxPerSecond: s.cloudApi.maxPerSecond,
          recipientGapMs: s.cloudApi.recipientGapMs,
        });
      case 'linked-device':
        device ??= linkedDeviceChannel({
          db: o.db,
          box: o.secretBox,
          listeners,
          makeSocket: o.makeSocket ?? baileysSocketFactory,
          now: o.now,
          language,
          budget: () => budgetOf(o.settings.get().linkedDevice),
          offlineMaxAgeMs: () => o.settings.get().linkedDevice.offlineReplyMaxDays * 86_400_000,
          dayOf: o.dayOf,
          nextDayStart: o.nextDayStart,
          log: (level, data, msg) => console.warn(`[avisa] whatsapp (${level})`, msg ?? '', ...(data === undefined ? [] : [data])),
          onEvent: o.onLinkedDeviceEvent,
        });
        return device;
      default:
        return null;
    }
  };

  // Bodies Meta posts are kept in the database first, then applied in order by the inbox.
  const inbox = webhookInbox({ db: o.db, now: o.now, parse: (body) => parseWebhook(body, language()), listeners });
  const receiver = webhookReceiver({
    host: o.webhookHost,
    port: () => o.webhookPort ?? o.settings.get().cloudApi.webhookPort,
    verifyToken: () => o.settings.getSecret('cloudApi.verifyToken'),
    appSecret: () => o.settings.getSecret('cloudApi.appSecret'),
    inbox: {
      ...inbox,
      accept: (raw) => {
        inbox.accept(raw);
        o.onReceptionActivity?.();
      },
    },
    onRefused: (status, reason) => {
      insertRefusal(o.db, o.now(), status, reason);
      o.onReceptionActivity?.();
    },
  });
  const reception = webhookReception({
    db: o.db,
    settings: o.settings,
    client,
    now: o.now,
    language,
    localPort: () => {
      const state = receiver.state();
      return state?.listening ? state.port : null;
    },
    onChange: () => o.onReceptionChange?.(),
  });

  const templates = (): TemplateInfo[] => listTemplates(o.db);

  return {
    /** The channel to send through now; the phone only while connected and not held by its budget. */
    channelFor(id: ChannelId): Channel | null {
      const channel = open.get(id) ?? null;
      return channel && channel === device && !device.ready() ? null : channel;
    },

    /** Channels that could send right now: the dispatcher only looks at messages for these. */
    readyChannels(): ChannelId[] {
      return [...open.keys()].filter((id) => this.channelFor(id) !== null);
    },

    /** Re-reads the settings: opens the channels in use and starts or stops the webhook receiver. */
    async apply(): Promise<void> {
      const wanted = channelsInUse(o.settings.get());
      for (const [id, channel] of open) {
        // The phone's socket survives settings changes while it is in use: reopening it would reconnect to WhatsApp.
        if (channel === device && wanted.has(id)) continue;
        channel.close();
        open.delete(id);
      }
      if (device && !wanted.has('linked-device')) {
        device.close();
        device = null;
      }
      for (const id of wanted) {
        if (open.has(id)) continue;
        const channel = openChannel(id);
        if (channel) open.set(id, channel);
      }
      // Not before the Cloud API is set up: the wizard must not take the port before the clinic could choose it.
      if (wanted.has('cloud-api') && cloudConfigured()) await receiver.start();
      else await receiver.stop();
      await reception.apply();
      inbox.drain();
    },

    health(): ChannelHealth {
      const s = o.settings.get();
      const channel = s.channel ? (open.get(s.channel) ?? null) : null;
      if (device && channel === device && !s.channelProblem) return device.health();
      if (s.channelProblem) return { state: 'paused', reason: s.channelProblem.reason, code: s.channelProblem.code };
      if (s.channel === 'cloud-api' && !cloudConfigured()) {
        return { state: 'not_configured', reason: text(language(), 'cloud.not_configured'), code: 'not_configured' };
      }
      if (!channel) {
        return { state: 'not_configured', reason: text(language(), 'channel.not_configured', s.channel ?? '—'), code: 'not_configured' };
      }
      return { state: 'ready', reason: null, code: null };
    },

    /** The SMTP settings with the password, for "Enviar prueba". */
    smtp,

    reception,

    webhookState: receiver.state,

    templates,

    async syncTemplates(): Promise<TemplateInfo[]> {
      const result = await syncTemplates(o.db, client, o.now());
      if (!result.ok) throw new Error(reasonFor(result.error.code, language(), result.error.message));
      return templates();
    },

    async check(): Promise<CloudApiCheck> {
      const result = await client.phoneNumber();
      if (!result.ok) {
        return {
          ok: false,
          displayPhoneNumber: null,
          verifiedName: null,
          qualityRating: null,
          error: reasonFor(result.error.code, language(), result.error.message),
        };
      }
      return {
        ok: true,
        displayPhoneNumber: result.data.display_phone_number,
        verifiedName: result.data.verified_name,
        qualityRating: result.data.quality_rating ?? null,
        error: null,
      };
    },

    drain: inbox.drain,

    linkedDevice: {
      view: (): LinkedDeviceView | null => device?.view() ?? null,
      link(mode: { method: 'qr' } | { method: 'code'; phone: string }): LinkedDeviceView | null {
        device?.link(mode);
        return device?.view() ?? null;
      },
      async unlink(): Promise<LinkedDeviceView | null> {
        await device?.unlink();
        return device?.view() ?? null;
      },
      reconnect(): LinkedDeviceView | null {
        device?.reconnect();
        return device?.view() ?? null;
      },
      /** A person resumes sending: lifts the phone's automatic pause too. */
      resume: () => device?.resume(),
    },

    async close(): Promise<void> {
      if (device) await device.settled();
      for (const channel of open.values()) channel.close();
      if (device && !open.has('linked-device')) device.close();
      open.clear();
      device = null;
      await reception.close();
      await receiver.stop();
    },
  };
}

export type ChannelManager = ReturnType<typeof channelManager>;
