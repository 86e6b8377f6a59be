import { readFile as readFileFromDisk } from 'node:fs/promises';
import {
  BufferJSON,
  DEFAULT_CONNECTION_CONFIG,
  NewChatMessageCappingStatusType,
  proto,
  type NewChatMessageCapInfo,
  type WAMessage,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { LinkedDeviceView } from '../../../../shared/api';
import type { Language } from '../../../../shared/domain';
import type { SecretBox } from '../../secrets/secret-box';
import type { Db } from '../../store/db';
import {
  counter,
  countPendingInbound,
  linkedAt,
  recordSent,
  sentAt,
  sentByProviderId,
  sentContent,
  setLinkedAt,
  setUnlinkRequested,
  storeSentContent,
  unlinkRequested,
} from '../../store/linked-device-repo';
import { addressBook } from './address-book';
import type { Admission, Channel, ChannelHealth, ChannelListeners, OutgoingMessage, SendOutcome } from '../channel';
import { sqliteAuthState } from './auth-state';
import { budgetLedger, randomGapMs, type BudgetSettings, type Verdict } from './budget';
import { connection, type ConnectionAlert, type LinkMode } from './connection';
import { inbound, OLD_OFFLINE_REPLIES } from './inbound';
import { contentFor } from './message-content';
import { pacer } from './pacer';
import { receiptsFromUpdates, receiptsFromUserReceipts, type ReceiptEvent } from './receipts';
import { sessionSealer } from './sealer';
import { quietLogger, retryCounterCache, standardBrowser, type LinkedSocket, type SocketFactory, type VersionFetch } from './socket';
import { say } from './texts';

export type LinkedDeviceAlert = ConnectionAlert | 'paused';

/** A reply the server held offline longer than this is not acted on (an old "1" must not confirm today). */
export const DEFAULT_OFFLINE_MAX_AGE_MS = 7 * 86_400_000;
/** WhatsApp's retry requests get a message's content only this long: no old reminder delivered again. */
export const RETRY_CONTENT_MAX_AGE_MS = 24 * 3_600_000;

export type LinkedDeviceEvent =
  /** Anything the linking screen, header or tray shows changed. */
  | { type: 'changed'; view: LinkedDeviceView }
  /** Something a person must know about now (notification, tray). */
  | { type: 'alert'; alert: LinkedDeviceAlert; reason: string }
  /** The channel can send again (connected, resumed, a time lock ended): wake the dispatcher. */
  | { type: 'ready' };


export interface LinkedDeviceOptions {
  db: Db;
  box: SecretBox;
  listeners: ChannelListeners;
  makeSocket: SocketFactory;
  now: () => number;
  language: () => Language;
  budget: () => BudgetSettings;
  /** The clinic's local day of a moment and the start of the next one: the caps count per local day. */
  dayOf: (at: number) => string;
  nextDayStart: (at: number) => number;
  random?: () => number;
  backoffMs?: (attempt: number) => number;
  readFile?: (path: string) => Promise<Buffer>;
  /** Baileys' warnings and errors; dropped when absent. */
  log?: (level: string, data: unknown, msg?: string) => void;
  /** How Avisa appears in the phone's list of linked devices when linked by QR. */
  browser?: [string, string, string];
  /** The system Avisa runs on, for the standard label a pairing code needs. */
  platform?: NodeJS.Platform;
  /** The WhatsApp Web version to connect with; by default the socket factory's own fetch. */
  fetchVersion?: VersionFetch;
  /** Offline replies older than this are counted, not acted on. */
  offlineMaxAgeMs?: () => number;
  onEvent?: (event: LinkedDeviceEvent) => void;
  /** Resume the stored session at once (default). */
  autoStart?: boolean;
}

export interface LinkedDeviceChannel extends Channel {
  readonly id: 'linked-device';
  view(): LinkedDeviceView;
  health(): ChannelHealth;
  /** True when a send could go now as far as the connection and the pause are concerned. */
  ready(): boolean;
  /** Asked before a message moves to `sending`: pacing, caps and pauses keep it in the queue instead. */
  admit(message: Pick<OutgoingMessage, 'id' | 'toPhone'>): Admission;
  link(mode: LinkMode): void;
  unlink(): Promise<void>;
  reconnect(): void;
  /** A person resumes after an automatic pause. */
  resume(): void;
  /** Resolves once the events received so far have been handled (tests, orderly shutdown). */
  settled(): Promise<void>;
}

/**
 * WhatsApp through the clinic's own phone, linked like WhatsApp Web (Baileys 7). The session lives encrypted in
 * SQLite and survives restarts; sends are paced like a person and kept within a daily budget; statuses and replies
 * come back through the same listeners as the Cloud API's.
 */
export function linkedDeviceChannel(o: LinkedDeviceOptions): LinkedDeviceChannel {
  const random = o.random ?? Math.random;
  const readFile = o.readFile ?? readFileFromDisk;
  const sealer = sessionSealer(o.db, o.box, o.now);
  const auth = sqliteAuthState(o.db, sealer, o.now);
  const budget = budgetLedger({
    db: o.db,
    settings: o.budget,
    linkedAt: () => linkedAt(o.db),
    now: o.now,
    dayOf: o.dayOf,
    nextDayStart: o.nextDayStart,
  });
  const addresses = addressBook({ db: o.db, now: o.now });
  const retries = retryCounterCache();
  const pace = pacer({ gapMs: () => randomGapMs(o.budget(), random), now: o.now });
  const logger = quietLogger((level, data, msg) => o.log?.(level, data, msg));
  let work: Promise<void> = Promise.resolve();
  let timelockTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const emit = (event: LinkedDeviceEvent): void => {
    if (!closed) o.onEvent?.(event);
  };
  const changed = (): void => emit({ type: 'changed', view: view() });

  /** Handlers run one after another, in the order Baileys emitted the events. */
  const queue = (job: () => void | Promise<void>): void => {
    work = work.then(job).catch((error: unknown) => o.log?.('error', error, 'linked-device event handler failed'));
  };

  const pauseReason = (lang: Language): string | null => {
    const pause = budget.pauseNow();
    if (!pause) return null;
    if (pause.code === 'reachout_timelock') return say(lang, 'pausedTimelock');
    const detail = pause.detail ? (JSON.parse(pause.detail) as { failures?: number }) : {};
    return say(lang, 'pausedSpike', detail.failures ?? '');
  };

  const refusalReason = (v: Extract<Verdict, { ok: false }>, lang: Language): string => {
    const s = o.budget();
    if (v.code === 'daily_cap') return say(lang, 'dailyCap', budget.capToday());
    if (v.code === 'first_contact_cap') return say(lang, 'firstContactCap', s.firstContactDailyCap);
    return pauseReason(lang) ?? say(lang, 'pausedTimelock');
  };

  const view = (): LinkedDeviceView => {
    const b = budget.view();
    const lang = o.language();
    const s = o.budget();
    let reason = pauseReason(lang);
    if (!reason && s.dailyCap > 0 && b.sent >= b.dailyCap) reason = say(lang, 'dailyCap', b.dailyCap);
    return {
      connection: conn.view(),
      budget: { ...b, reason },
      pendingReplies: countPendingInbound(o.db),
      oldOfflineReplies: counter(o.db, OLD_OFFLINE_REPLIES),
    };
  };

  const applyReceipt = (r: ReceiptEvent): void => {
    const lang = o.language();
    const ours = sentByProviderId(o.db, r.providerId);
    if (r.state === 'failed') {
      const code = r.errorCode ?? 'error';
      o.listeners.status({
        providerId: r.providerId,
        state: 'failed',
        at: r.at,
        errorCode: code,
        errorReason: code === '463' ? say(lang, 'failed463') : say(lang, 'failedOther', code),
        failure: 'permanent',
        ...(ours ? { ourId: ours.messageId } : {}),
      });
      // The number may have moved (or lost its account): ask WhatsApp for its address again before the next send.
      if (ours) addresses.failed(ours.phone);
      // 463 is WhatsApp refusing a new chat: ask whether a reach-out time lock is what is behind it.
      if (code === '463') askTimelock();
      const pause = budget.recordFailure(code, r.providerId);
      if (pause) {
        emit({ type: 'alert', alert: 'paused', reason: pauseReason(lang) ?? '' });
        changed();
      }
      return;
    }
    o.listeners.status({ providerId: r.providerId, state: r.state, at: r.at, ...(ours ? { ourId: ours.messageId } : {}) });
  };

  /** One of our own messages as Baileys re-emits it: a status merged into it while buffering is still news. */
  const ownMessage = (m: WAMessage): void => {
    if (!m.key.id || m.status === null || m.status === undefined || !sentByProviderId(o.db, m.key.id)) return;
    const update = { status: m.status, ...(m.messageStubParameters ? { messageStubParameters: m.messageStubParameters } : {}) };
    receiptsFromUpdates([{ key: m.key, update }], o.now()).forEach(applyReceipt);
  };

  const ins = inbound({
    db: o.db,
    listeners: o.listeners,
    now: o.now,
    lookupPhoneJid: async (lidJid) => {
      const s = conn.socket();
      return s ? s.signalRepository.lidMapping.getPNForLID(lidJid) : null;
    },
    addresses,
    offlineMaxAgeMs: o.offlineMaxAgeMs ?? (() => DEFAULT_OFFLINE_MAX_AGE_MS),
    ownMessage,
  });

  /**
   * WhatsApp's report, as a quota: its numbers when it gives them; "capped" without numbers is no room left; a
   * report with neither (a warning level only) leaves what Avisa knew.
   */
  const applyQuota = (info: NewChatMessageCapInfo): void => {
    if (typeof info.total_quota === 'number' && info.total_quota > 0) {
      budget.setQuota({ total: info.total_quota, used: info.used_quota ?? 0 });
    } else if (info.capping_status === NewChatMessageCappingStatusType.CAPPED) {
      budget.setQuota({ total: 0, used: 0 });
    } else {
      return;
    }
    changed();
  };

  /** Asks WhatsApp for the time lock; the answer comes back as connection.update (Baileys emits it there too). */
  const askTimelock = (): void => {
    const s = conn.socket();
    if (s) void s.fetchAccountReachoutTimelock().catch((error: unknown) => o.log?.('warn', error, 'reach-out time lock query failed'));
  };

  const onOpen = (s: LinkedSocket): void => {
    askTimelock();
    void s.fetchNewChatMessageCap().then(
      applyQuota,
      (error: unknown) => o.log?.('warn', error, 'new-chat quota query failed'),
    );
    queue(() => ins.recheckPending());
  };

  const conn = connection({
    auth,
    makeSocket: o.makeSocket,
    logger,
    browser: (linking) => (linking?.method === 'code' ? standardBrowser(o.platform ?? process.platform) : (o.browser ?? ['Avisa', 'Desktop', '1.0'])),
    fetchVersion: o.fetchVersion ?? o.makeSocket.fetchVersion ?? (async () => ({ version: DEFAULT_CONNECTION_CONFIG.version })),
    msgRetryCounterCache: retries,
    now: o.now,
    language: o.language,
    backoffMs: o.backoffMs,
    onOpen,
    onLinked: () => setLinkedAt(o.db, o.now()),
    unlinkPending: { get: () => unlinkRequested(o.db), set: (pending) => setUnlinkRequested(o.db, pending, o.now()) },
    getMessage: async (key: WAMessageKey) => {
      const sealed = key.id ? sentContent(o.db, key.id) : null;
      if (!sealed || !key.id) return undefined;
      // A retry storm days later must not deliver an old reminder again: only recent messages are answered.
      const at = sentAt(o.db, key.id);
      if (at === null || o.now() - at > RETRY_CONTENT_MAX_AGE_MS) return undefined;
      try {
        const plain = JSON.parse(sealer.open(sealed, `sent:${key.id}`), BufferJSON.reviver) as Record<string, unknown>;
        return proto.Message.fromObject(plain);
      } catch {
        return undefined; // sealed under a session that was since cleared
      }
    },
    attach(socket, live) {
      const when = <T>(handle: (arg: T) => void | Promise<void>) => (arg: T) => {
        if (live()) queue(() => handle(arg));
      };
      socket.ev.on('messages.upsert', when(ins.messages));
      socket.ev.on('lid-mapping.update', when(ins.lidMapping));
      socket.ev.on('contacts.upsert', when(ins.contacts));
      socket.ev.on('contacts.update', when(ins.contacts));
      socket.ev.on('messaging-history.set', when(ins.history));
      socket.ev.on('messages.update', when((u) => receiptsFromUpdates(u, o.now()).forEach(applyReceipt)));
      socket.ev.on('message-receipt.update', when((u) => receiptsFromUserReceipts(u, o.now()).forEach(applyReceipt)));
      socket.ev.on('message-capping.update', when(applyQuota));
    },
    onChange: (v) => {
      changed();
      if (v.state === 'open' && !budget.pauseNow()) emit({ type: 'ready' });
    },
    onAlert: (alert, reason) => emit({ type: 'alert', alert, reason }),
    onTimelock: (lock) => {
      const until = lock.timeEnforcementEnds ? new Date(lock.timeEnforcementEnds).getTime() : null;
      if (lock.isActive) {
        budget.pause('reachout_timelock', lock.enforcementType ?? null, until);
        emit({ type: 'alert', alert: 'paused', reason: say(o.language(), 'pausedTimelock') });
        if (timelockTimer) clearTimeout(timelockTimer);
        if (until !== null) {
          timelockTimer = setTimeout(() => emit({ type: 'ready' }), Math.max(0, until - o.now()));
          timelockTimer.unref();
        }
      } else if (budget.pauseNow()?.code === 'reachout_timelock') {
        budget.resume();
        emit({ type: 'ready' });
      }
      changed();
    },
  });

  /** A refusal by the budget, as the dispatcher understands it (used when it did not ask `admit` first). */
  const refused = (v: Extract<Verdict, { ok: false }>): SendOutcome => {
    const reason = refusalReason(v, o.language());
    if (v.code === 'paused' && v.until === null) {
      // Only a person may resume after a spike of failures: the dispatcher pauses and keeps the queue.
      return { ok: false, code: 'linked_device_paused', reason, failure: 'account' };
    }
    return { ok: false, code: `linked_device_${v.code}`, reason, failure: 'transient', retryAfterMs: Math.max(1_000, (v.until ?? o.now()) - o.now()) };
  };

  const notConnected = (): SendOutcome => {
    const v = conn.view();
    const lang = o.language();
    if (v.state === 'connecting' || v.state === 'qr') {
      return { ok: false, code: 'linked_device_connecting', reason: say(lang, 'notConnected'), failure: 'transient', retryAfterMs: 60_000 };
    }
    return { ok: false, code: `linked_device_${v.state}`, reason: v.reason ?? say(lang, 'notLinked'), failure: 'account' };
  };

  /** Our message id decides WhatsApp's: a retry reuses it, so WhatsApp and the phone see one message, not two. */
  const providerIdFor = (id: number): string =>
    `3EB0${sealer.mac(`message:${id}`).toString('hex').toUpperCase().slice(0, 18)}`;

  const channel: LinkedDeviceChannel = {
    id: 'linked-device',

    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const lang = o.language();
      if (!conn.socket()) return notConnected();
      const first = budget.check(m.toPhone);
      if (!first.ok) return refused(first);
      const content = await contentFor(m, lang, readFile);
      if (!content.ok) {
        const key = content.code === 'document_missing' ? 'documentMissing' : content.code === 'not_pdf' ? 'notPdf' : 'failedOther';
        return { ok: false, code: content.code, reason: say(lang, key, content.detail), failure: 'permanent' };
      }
      return pace.run(m.id, async (): Promise<SendOutcome> => {
        // Things change during the gap: look again right before the message leaves.
        const socket = conn.socket();
        if (!socket) return notConnected();
        const verdict = budget.check(m.toPhone);
        if (!verdict.ok) return refused(verdict);
        // The address is asked here, one number per paced slot, never in bulk (bulk checks get numbers banned).
        const address = await addresses.resolve(m.toPhone, socket);
        if (!address.ok) {
          if (address.code === 'no_whatsapp') {
            return { ok: false, code: 'linked_device_no_whatsapp', reason: say(lang, 'noWhatsApp', m.toPhone), failure: 'permanent' };
          }
          return { ok: false, code: 'linked_device_lookup', reason: say(lang, 'lookupFailed', address.detail), failure: 'transient' };
        }
        const providerId = providerIdFor(m.id);
        o.db.transaction(() => {
          recordSent(o.db, { providerId, messageId: m.id, phone: m.toPhone, options: m.buttons, at: o.now() });
          budget.recordSend(verdict.firstContact);
        })();
        changed();
        try {
          const sent = await socket.sendMessage(address.jid, content.content, { messageId: providerId });
          if (sent?.message) {
            const plain = JSON.stringify(sent.message, BufferJSON.replacer);
            storeSentContent(o.db, providerId, sealer.seal(plain, `sent:${providerId}`));
          }
          return { ok: true, providerId: sent?.key.id ?? providerId };
        } catch (error) {
          // Nothing proves it left; a retry carries the same id, which WhatsApp treats as the same message.
          const detail = error instanceof Error ? error.message : String(error);
          return { ok: false, code: 'linked_device_send', reason: say(lang, 'sendFailed', detail), failure: 'transient' };
        }
      });
    },

    admit(m) {
      const lang = o.language();
      if (!conn.socket()) {
        const outcome = notConnected();
        return { ok: false, code: outcome.ok ? 'not_connected' : outcome.code, notBefore: null, reason: outcome.ok ? null : outcome.reason };
      }
      const verdict = budget.check(m.toPhone);
      if (!verdict.ok) return { ok: false, code: `linked_device_${verdict.code}`, notBefore: verdict.until, reason: refusalReason(verdict, lang) };
      const slot = pace.admit(m.id);
      return slot.ok ? { ok: true } : { ok: false, code: 'linked_device_pacing', notBefore: slot.at, reason: null };
    },

    ready: () => conn.socket() !== null && budget.pauseNow() === null,

    health(): ChannelHealth {
      const v = conn.view();
      if (v.state !== 'open') {
        const linked = auth.isLinked();
        return { state: linked ? 'paused' : 'not_configured', reason: v.reason, code: `linked_device_${v.state}` };
      }
      const reason = pauseReason(o.language());
      return reason ? { state: 'paused', reason, code: 'linked_device_paused' } : { state: 'ready', reason: null, code: null };
    },

    view,
    link: (mode) => conn.link(mode),
    unlink: async () => {
      await conn.unlink();
      if (!auth.isLinked()) setLinkedAt(o.db, null);
    },
    reconnect: () => conn.reconnect(),
    resume() {
      budget.resume();
      changed();
      emit({ type: 'ready' });
    },
    settled: async () => {
      // Handlers may queue more work (a mapping releasing waiting replies): wait until the queue stays still.
      for (let seen = work; ; seen = work) {
        await seen;
        if (seen === work) return;
      }
    },
    close() {
      if (timelockTimer) clearTimeout(timelockTimer);
      conn.close();
      closed = true;
    },
  };

  if (o.autoStart ?? true) conn.start();
  // The stored session was unreadable and has been cleared: someone must link again, so say it now.
  if (auth.keyLost) emit({ type: 'alert', alert: 'logged_out', reason: say(o.language(), 'sessionKeyLost') });
  return channel;
}
