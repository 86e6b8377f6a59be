import {
  Browsers,
  fetchLatestWaWebVersion,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  makeWASocket,
  type AnyMessageContent,
  type BaileysEventEmitter,
  type CacheStore,
  type Contact,
  type MiscMessageGenerationOptions,
  type NewChatMessageCapInfo,
  type ReachoutTimelockState,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAVersion,
} from '@whiskeysockets/baileys';

/**
 * The part of Baileys' socket Avisa uses. The channel takes a factory for it, so tests drive a fake that emits
 * Baileys' real event shapes and nothing in the channel can reach the network by accident.
 */
export interface LinkedSocket {
  ev: BaileysEventEmitter;
  user: Contact | undefined;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string, customPairingCode?: string): Promise<string>;
  end(error: Error | undefined): Promise<void> | void;
  logout(msg?: string): Promise<void>;
  signalRepository: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
  /** One USync contact query: only numbers with an account come back, under the address WhatsApp knows them by. */
  onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  /** Asks WhatsApp for the account's reach-out time lock; Baileys also emits it as connection.update. */
  fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState>;
  /** The account's quota of new chats in the current cycle. */
  fetchNewChatMessageCap(): Promise<NewChatMessageCapInfo>;
}

/**
 * Chats Avisa never answers: groups, broadcast lists, status updates and channels. Baileys acks them before
 * decrypting, so no sender keys are written for them and nothing reaches the channel.
 */
export const ignoredJid = (jid: string): boolean =>
  Boolean(isJidGroup(jid) || isJidBroadcast(jid) || isJidStatusBroadcast(jid) || isJidNewsletter(jid));

/**
 * How many times each incoming message failed to decrypt. Baileys gives up after a few retries; the count must
 * outlive a socket, or every reconnect restarts the retry storm for the same message.
 */
export function retryCounterCache(ttlMs = 3_600_000, now: () => number = Date.now): CacheStore {
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    get<T>(key: string): T | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      return e.value as T;
    },
    set<T>(key: string, value: T): void {
      entries.set(key, { value, expires: now() + ttlMs });
    },
    del(key: string): void {
      entries.delete(key);
    },
    flushAll(): void {
      entries.clear();
    },
  };
}

export type SocketConfig = UserFacingSocketConfig;
/** The WhatsApp Web version to announce; `error` says why Baileys' built-in one is used instead. */
export type VersionFetch = () => Promise<{ version: WAVersion; error?: string }>;
/** Makes a socket; `fetchVersion` asks the same WhatsApp which client version it currently expects. */
export type SocketFactory = ((config: SocketConfig) => LinkedSocket) & { fetchVersion?: VersionFetch };
export type BaileysLogger = NonNullable<UserFacingSocketConfig['logger']>;

/** Baileys' fetch of web.whatsapp.com's current revision; on any failure it answers its own default version. */
export const latestWebVersion: VersionFetch = async () => {
  const r = await fetchLatestWaWebVersion({ signal: AbortSignal.timeout(10_000) });
  const error = r.error === undefined ? undefined : r.error instanceof Error ? r.error.message : JSON.stringify(r.error);
  return error === undefined ? { version: r.version } : { version: r.version, error };
};

/** The real socket: what the channel manager passes in production. */
export const baileysSocketFactory: SocketFactory = Object.assign((config: SocketConfig) => makeWASocket(config), {
  fetchVersion: latestWebVersion,
});

/**
 * The label WhatsApp shows in the phone's linked devices. A pairing-code request with a label of Avisa's own
 * ("Chrome (Avisa)") is refused with 400 bad-request while Baileys still hands out a code that can never work, so
 * linking by code uses one of Baileys' standard labels for the machine's system.
 */
export function standardBrowser(platform: NodeJS.Platform): [string, string, string] {
  if (platform === 'win32') return Browsers.windows('Chrome');
  if (platform === 'darwin') return Browsers.macOS('Chrome');
  return Browsers.ubuntu('Chrome');
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

/**
 * Baileys logs a great deal through a pino-like logger. Avisa keeps warnings and errors (a session problem shows up
 * there first) and passes them to one sink; the rest is dropped. Like pino, a lone string is the message itself
 * (`logger.warn('Buffer timeout reached, auto-flushing')`), not data without a message.
 */
export function quietLogger(sink: (level: Level, data: unknown, msg?: string) => void, level: Level = 'warn'): BaileysLogger {
  const make = (bindings: Record<string, unknown>): BaileysLogger => {
    const at =
      (l: Level) =>
      (data: unknown, msg?: string): void => {
        if (rank[l] < rank[level]) return;
        const hasBindings = Object.keys(bindings).length > 0;
        if (typeof data === 'string' && msg === undefined) {
          sink(l, hasBindings ? bindings : undefined, data);
          return;
        }
        sink(l, hasBindings ? { ...bindings, data } : data, msg);
      };
    return {
      level,
      child: (more) => make({ ...bindings, ...more }),
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    };
  };
  return make({});
}
