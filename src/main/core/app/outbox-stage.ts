import type { AppOptions } from '../app-types';
import { appendAudit } from '../audit/audit-log';
import { businessMessageGate } from '../campaigns/send-gate';
import { channelManager } from '../channels/channel-manager';
import { smtpConfigured } from '../channels/email/email-channel';
import { text } from '../i18n';
import { allGates, createDispatcher } from '../outbox/dispatcher';
import { createOutbox } from '../outbox/outbox';
import { reconcileSending } from '../outbox/reconciler';
import { channelThroughput, MAX_IN_FLIGHT } from '../outbox/throughput';
import { lateReminderGate } from '../scheduler/late-gate';
import { quietHoursGate } from '../scheduler/quiet-gate';
import { applyReplyIntent } from '../scheduler/reply-intent';
import { sendingChannel } from '../settings/settings-service';
import { getPatient } from '../store/patients-repo';
import type { Later } from './later-parts';
import type { StoreStage } from './store-stage';

/** The outbox, the channels that carry its messages, and the dispatcher that moves them from one to the other. */
export function buildOutboxAndChannels(options: AppOptions, s: StoreStage, later: Later) {
  const { db, settings, now, language, bus } = s;
  const outbox = createOutbox(db, bus, now, language, {
    routeFor: (kind) => settings.get().routing[kind] ?? { primary: sendingChannel(settings), fallback: null },
    // What a reply means for an appointment (confirm, cancel, opt-out, or a person must read it).
    onReplyRecorded: ({ id, messageId, reply }) => {
      const applied = applyReplyIntent(
        { db, outbox, planner: later().planner, now, language, onAppointmentAnswered: () => void later().clinicDb.writeBackNow() },
        { replyId: id, messageId, fromPhone: reply.fromPhone, body: reply.body, payload: reply.payload },
      );
      // "BAJA" or "ALTA" changed the patient's consent: their page and history show it.
      if (applied.outcome === 'applied' && (applied.intent === 'opt_out' || applied.intent === 'opt_in')) bus.emit('patients.changed', { id: null });
    },
    emailFor: (message) => {
      const email = settings.get().email;
      if (!email.fallback || !smtpConfigured(email) || message.patientId === null) return null;
      return getPatient(db, message.patientId)?.email ?? null;
    },
  });

  const channels = channelManager({
    db,
    settings,
    outbox,
    now,
    webhookHost: options.webhookHost ?? process.env.AVISA_WEBHOOK_HOST ?? '127.0.0.1',
    webhookPort: options.webhookPort,
    secretBox: options.secretBox,
    dayOf: s.dayOf,
    nextDayStart: s.nextDayStart,
    makeSocket: options.makeSocket,
    onStorageError: (error) => {
      if (!later().ops.storage.report(error)) console.error('[avisa] estado o respuesta no guardados', error);
    },
    onLinkedDeviceEvent: (event) => {
      if (event.type === 'changed') bus.emit('linkedDevice.changed', event.view);
      if (event.type === 'alert') bus.emit('channel.alert', { channel: 'linked-device', alert: event.alert, reason: event.reason });
      if (event.type === 'ready') dispatcher.wake();
      later().announceStatus();
    },
    onReceptionChange: () => {
      later().announceStatus();
      bus.emit('reception.changed', { id: null });
    },
    onReceptionActivity: () => bus.emit('reception.changed', { id: null }),
  });

  const throughput = channelThroughput({
    now,
    paceOf: (id) => (id === 'cloud-api' ? settings.get().cloudApi.maxPerSecond : 0),
  });
  const dispatcher = createDispatcher({
    db,
    outbox,
    channelFor: (id) => channels.channelFor(id),
    readyChannels: () => channels.readyChannels(),
    isPaused: () => settings.get().sendingPaused || settings.get().channelProblem !== null || later().ops.storage.fault() !== null,
    onStorageError: (error) => {
      if (!later().ops.storage.report(error)) console.error('[avisa] dispatcher', error);
    },
    now,
    maxPerSecond: (id) => (id === 'cloud-api' ? settings.get().cloudApi.maxPerSecond : 0),
    inFlightFor: throughput.inFlightFor,
    onSendTimed: throughput.onSendTimed,
    dailyCap: () => settings.get().dailyCap,
    dayOf: s.dayOf,
    nextDayStart: s.nextDayStart,
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
      later().announceStatus();
    },
  });

  /** Messages left in `sending` (a crash, a lost answer) are judged again: confirmed, resent, or marked unknown. */
  const reconcile = () =>
    reconcileSending({
      db,
      outbox,
      now,
      graceMs: () => settings.get().unknownAfterMinutes * 60_000,
      autoResend: () => settings.get().autoResendUnknown,
      reason: () => text(language(), 'message.unconfirmed'),
    });

  return { outbox, channels, throughput, dispatcher, reconcile };
}

export type OutboxStage = ReturnType<typeof buildOutboxAndChannels>;
