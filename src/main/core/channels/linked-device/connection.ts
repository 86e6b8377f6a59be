import {
  makeCacheableSignalKeyStore,
  type CacheStore,
  type ConnectionState as BaileysConnection,
  type proto,
  type WAMessageKey,
  type WAVersion,
} from '@whiskeysockets/baileys';
import type { LinkedDeviceView } from '../../../../shared/api';
import type { Language } from '../../../../shared/domain';
import type { SessionStore } from './auth-state';
import { phoneOfJid } from './jid';
import { backoffMs as defaultBackoff, closeAction, closeReasonName, statusCodeOf } from './reconnect';
import { ignoredJid, type BaileysLogger, type LinkedSocket, type SocketFactory } from './socket';
import { say } from './texts';

/** What the linking screen shows of the connection: the API contract's shape. */
type ConnectionView = LinkedDeviceView['connection'];
export type ConnectionState = ConnectionView['state'];

export type LinkMode = { method: 'qr' } | { method: 'code'; phone: string };
export type ConnectionAlert = 'logged_out' | 'replaced' | 'update_required' | 'account_restricted';

export interface ConnectionOptions {
  auth: SessionStore;
  makeSocket: SocketFactory;
  logger: BaileysLogger;
  /** How Avisa introduces itself; linking by code needs one of Baileys' standard labels. */
  browser: (linking: LinkMode | null) => [string, string, string];
  /** The WhatsApp Web version to announce, asked before every connect (Baileys' default when the fetch fails). */
  fetchVersion: () => Promise<{ version: WAVersion; error?: string }>;
  /** One per channel, not per socket: the count of decryption retries outlives reconnects. */
  msgRetryCounterCache: CacheStore;
  now: () => number;
  language: () => Language;
  backoffMs?: (attempt: number) => number;
  /** Answers WhatsApp's retry requests with the content of a message Avisa sent. */
  getMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  /** Subscribes the channel's own handlers on each new socket; `live` turns false once that socket is replaced. */
  attach: (socket: LinkedSocket, live: () => boolean) => void;
  onChange: (view: ConnectionView) => void;
  onAlert: (alert: ConnectionAlert, reason: string) => void;
  onTimelock: (lock: NonNullable<BaileysConnection['reachoutTimeLock']>) => void;
  /** The socket opened: the place for the questions asked once per connection (time lock, quota, waiting replies). */
  onOpen?: (socket: LinkedSocket) => void;
  /** A new link was made (pairing succeeded). */
  onLinked?: () => void;
  /** "Desvincular" pressed while offline, kept until WhatsApp can be told (survives a restart). */
  unlinkPending: { get(): boolean; set(pending: boolean): void };
}

/**
 * Owns the Baileys socket: opens it from the stored session, shows the QR or pairing code while linking, and decides
 * what a close means by its reason alone. Only a logout clears the session; only a replacement stops reconnecting.
 */
export function connection(o: ConnectionOptions) {
  const backoff = o.backoffMs ?? ((attempt: number) => defaultBackoff(attempt));
  let socket: LinkedSocket | null = null;
  let generation = 0;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let linking: LinkMode | null = null;
  let view: ConnectionView = {
    state: 'disconnected',
    qr: null,
    pairingCode: null,
    phone: null,
    reason: say(o.language(), 'notLinked'),
    lastClose: null,
    reconnectAt: null,
    since: o.now(),
  };

  const set = (patch: Partial<ConnectionView>): void => {
    const next = { ...view, ...patch };
    if (next.state !== view.state) next.since = o.now();
    view = next;
    o.onChange(view);
  };

  const stopTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  const drop = (): void => {
    generation += 1; // events from the old socket are ignored from here on
    const old = socket;
    socket = null;
    if (old) void Promise.resolve(old.end(undefined)).catch(() => undefined);
  };

  let versionNote: string | null = null;

  /** Asks for the current WhatsApp Web version first: an outdated one is refused (405) at every attempt. */
  const open = (): void => {
    stopTimer();
    drop();
    const mine = generation;
    set({ state: 'connecting', qr: null, pairingCode: null, reconnectAt: null, reason: say(o.language(), 'connecting') });
    void o.fetchVersion().then(
      ({ version, error }) => {
        versionNote = error ? `${version.join('.')} (${error})` : version.join('.');
        if (mine === generation) connect(version);
      },
      (error: unknown) => {
        o.logger.warn({ error }, 'WhatsApp Web version fetch failed');
        if (mine === generation) connect(undefined);
      },
    );
  };

  const connect = (version: WAVersion | undefined): void => {
    const mine = generation;
    const live = () => mine === generation;
    const { creds, keys } = o.auth.state;
    const s = o.makeSocket({
      auth: { creds, keys: makeCacheableSignalKeyStore(keys, o.logger) },
      logger: o.logger,
      browser: o.browser(linking),
      ...(version ? { version } : {}),
      // The clinic's phone keeps getting notifications: Avisa is not a person reading chats.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      getMessage: o.getMessage,
      msgRetryCounterCache: o.msgRetryCounterCache,
      // Groups, broadcasts, status and channels are dropped before decryption: no keys are written for them.
      shouldIgnoreJid: ignoredJid,
    });
    socket = s;
    let pairingAsked = false;
    let qrShown = false;
    let justPaired = false;

    s.ev.on('creds.update', (update) => {
      if (!live()) return;
      // Baileys merges the update into the same object; merging again keeps this independent of listener order.
      Object.assign(o.auth.state.creds, update);
      o.auth.saveCreds();
    });

    s.ev.on('connection.update', (u) => {
      if (!live()) return;
      if (u.reachoutTimeLock) o.onTimelock(u.reachoutTimeLock);
      if (u.isNewLogin) {
        justPaired = true;
        o.onLinked?.();
      }
      if (u.qr) {
        qrShown = true;
        set({ state: 'qr', qr: u.qr, reason: null });
        if (linking?.method === 'code' && !pairingAsked) {
          // WhatsApp takes the pairing request only once the socket is ready for linking, which the first QR shows.
          pairingAsked = true;
          const digits = linking.phone.replace(/\D/g, '');
          s.requestPairingCode(digits).then(
            (code) => live() && set({ pairingCode: code }),
            (error: unknown) => live() && set({ reason: String(error instanceof Error ? error.message : error) }),
          );
        }
      }
      if (u.connection === 'connecting' && view.state !== 'qr') set({ state: 'connecting' });
      if (u.connection === 'open' && o.unlinkPending.get()) {
        // The person asked to unlink while there was no connection: do it now, before anything is sent.
        void finishUnlink(s);
        return;
      }
      if (u.connection === 'open') {
        attempt = 0;
        linking = null;
        set({
          state: 'open',
          qr: null,
          pairingCode: null,
          reason: null,
          reconnectAt: null,
          phone: phoneOfJid(s.user?.id ?? o.auth.state.creds.me?.id),
        });
        o.onOpen?.(s);
      }
      if (u.connection === 'close') {
        const error = u.lastDisconnect?.error;
        onClose(statusCodeOf(error), { qrShown, justPaired, detail: error?.message ?? null });
      }
    });

    o.attach(s, live);
  };

  const onClose = (code: number | undefined, at: { qrShown: boolean; justPaired: boolean; detail: string | null }): void => {
    drop();
    const lastClose = [closeReasonName(code), at.detail].filter(Boolean).join(' · ');
    const pairing = !o.auth.isLinked() && Boolean(o.auth.state.creds.me?.id);
    const action = closeAction(code, { linked: o.auth.isLinked(), qrShown: at.qrShown, pairing, justPaired: at.justPaired });
    const lang = o.language();
    switch (action.kind) {
      case 'update_required': {
        const reason = say(lang, 'updateRequired', versionNote ?? '?');
        set({ state: 'update_required', qr: null, pairingCode: null, reason, lastClose });
        o.onAlert('update_required', reason);
        return;
      }
      case 'account_restricted': {
        const key = action.code === 402 ? 'accountTempBanned' : action.code === 403 ? 'accountForbidden' : 'accountUnknownLogout';
        const reason = say(lang, key);
        set({ state: 'account_restricted', qr: null, pairingCode: null, reason, lastClose });
        o.onAlert('account_restricted', reason);
        return;
      }
      case 'pairing_interrupted':
        // Reconnecting would log in with an identity that was never registered and get 401 for a device that was
        // never linked. Fresh credentials, back to the linking screen.
        o.auth.clear();
        linking = null;
        set({ state: 'disconnected', qr: null, pairingCode: null, phone: null, reason: say(lang, 'pairingInterrupted'), lastClose });
        return;
      case 'logged_out': {
        o.auth.clear();
        linking = null;
        if (o.unlinkPending.get()) {
          // Removed on the phone before Avisa could do it: what the person wanted.
          o.unlinkPending.set(false);
          set({ state: 'disconnected', qr: null, pairingCode: null, phone: null, reason: say(lang, 'notLinked'), lastClose });
          return;
        }
        const reason = say(lang, 'loggedOut');
        set({ state: 'logged_out', qr: null, pairingCode: null, phone: null, reason, lastClose });
        o.onAlert('logged_out', reason);
        return;
      }
      case 'replaced': {
        const reason = say(lang, 'replaced');
        set({ state: 'replaced', qr: null, pairingCode: null, reason, lastClose });
        o.onAlert('replaced', reason);
        return;
      }
      case 'qr_expired':
        linking = null;
        set({ state: 'disconnected', qr: null, pairingCode: null, reason: say(lang, 'qrExpired'), lastClose });
        return;
      case 'reconnect': {
        const delay = action.immediate ? 0 : backoff((attempt += 1));
        const reason = say(lang, o.unlinkPending.get() ? 'unlinkPending' : 'connecting');
        set({ state: 'connecting', qr: null, pairingCode: null, reason, lastClose, reconnectAt: o.now() + delay });
        timer = setTimeout(open, delay);
        return;
      }
    }
  };

  /** Logs out on WhatsApp (the phone drops Avisa from its linked devices), then forgets the session. */
  const finishUnlink = async (s: LinkedSocket | null): Promise<void> => {
    // Detach first: the 401 close that logout causes is ours, not the phone's, and must not raise an alert.
    generation += 1;
    socket = null;
    if (s) await s.logout().catch(() => undefined);
    o.auth.clear();
    o.unlinkPending.set(false);
    linking = null;
    set({ state: 'disconnected', qr: null, pairingCode: null, phone: null, reason: say(o.language(), 'notLinked'), reconnectAt: null });
  };

  return {
    view: (): ConnectionView => view,
    socket: (): LinkedSocket | null => (view.state === 'open' ? socket : null),

    /** Resumes a stored session without any QR; without one, waits for a person to link. */
    start(): void {
      if (o.auth.isLinked()) {
        // The number is known from the stored session: the screen tells a reconnecting phone from a never-linked one.
        set({ phone: phoneOfJid(o.auth.state.creds.me?.id) });
        open();
        if (o.unlinkPending.get()) set({ reason: say(o.language(), 'unlinkPending') });
        return;
      }
      o.unlinkPending.set(false);
      // A pairing code requested but never typed leaves half a session: start clean.
      if (o.auth.state.creds.me) o.auth.clear();
      set({ state: 'disconnected', reason: say(o.language(), o.auth.keyLost ? 'sessionKeyLost' : 'notLinked') });
    },

    /** Starts linking: QR codes, or a pairing code for the given phone number. */
    link(mode: LinkMode): void {
      if (view.state === 'open') return;
      if (!o.auth.isLinked()) {
        o.auth.clear();
        linking = mode;
      }
      attempt = 0;
      open();
    },

    /** Reconnects now: after another session took over, an account alert a person dealt with, or to skip a wait. */
    reconnect(): void {
      // Also a link attempt that WhatsApp refused (405 while linking): it tries again the same way.
      if (!o.auth.isLinked() && !linking) return;
      attempt = 0;
      open();
    },

    /**
     * Removes this device from the phone's linked devices and forgets the session. Without a connection WhatsApp
     * cannot be told, so the session is kept (and nothing sent) until the next connect logs out.
     */
    async unlink(): Promise<void> {
      stopTimer();
      if (view.state === 'open') return finishUnlink(socket);
      if (!o.auth.isLinked()) {
        drop();
        return finishUnlink(null);
      }
      o.unlinkPending.set(true);
      linking = null;
      attempt = 0;
      open();
      set({ reason: say(o.language(), 'unlinkPending') });
    },

    /** Closes the socket and keeps the session: the next start resumes it. */
    close(): void {
      stopTimer();
      drop();
      linking = null;
      view = { ...view, state: 'disconnected', qr: null, pairingCode: null, reconnectAt: null };
    },
  };
}

export type Connection = ReturnType<typeof connection>;
