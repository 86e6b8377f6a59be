import {
  makeWASocket,
  type AnyMessageContent,
  type BaileysEventEmitter,
  type Contact,
  type MiscMessageGenerationOptions,
  type UserFacingSocketConfig,
  type WAMessage,
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
}

export type SocketConfig = UserFacingSocketConfig;
export type SocketFactory = (config: SocketConfig) => LinkedSocket;
export type BaileysLogger = NonNullable<UserFacingSocketConfig['logger']>;

/** The real socket: what the channel manager passes in production. */
export const baileysSocketFactory: SocketFactory = (config) => makeWASocket(config);

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

/**
 * Baileys logs a great deal through a pino-like logger. Avisa keeps warnings and errors (a session problem shows up
 * there first) and passes them to one sink; the rest is dropped.
 */
export function quietLogger(sink: (level: Level, data: unknown, msg?: string) => void, level: Level = 'warn'): BaileysLogger {
  const make = (bindings: Record<string, unknown>): BaileysLogger => {
    const at =
      (l: Level) =>
      (data: unknown, msg?: string): void => {
        if (rank[l] >= rank[level]) sink(l, Object.keys(bindings).length ? { ...bindings, data } : data, msg);
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
