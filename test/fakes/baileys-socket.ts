import { randomBytes } from 'node:crypto';
import { Boom } from '@hapi/boom';
import {
  DEFAULT_CONNECTION_CONFIG,
  DisconnectReason,
  jidEncode,
  makeEventBuffer,
  proto,
  type AnyMessageContent,
  type ConnectionState,
  type Contact,
  type MiscMessageGenerationOptions,
  type NewChatMessageCapInfo,
  type ReachoutTimelockState,
  type SignalDataTypeMap,
  type WAMessage,
  type WAMessageKey,
  type WAVersion,
} from '@whiskeysockets/baileys';
import { quietLogger, type LinkedSocket, type SocketConfig, type SocketFactory } from '../../src/main/core/channels/linked-device/socket';

/**
 * WhatsApp's side, shared by every socket a test opens: who has an account and under which address, the oldest
 * client version it accepts, and the account's restrictions.
 */
export class FakeWhatsApp {
  /** The client version the server still accepts; older ones get 405 at every connect, as Baileys' users see. */
  minVersion: WAVersion = DEFAULT_CONNECTION_CONFIG.version;
  /** Numbers (digits) whose account lives under another address, e.g. Mexico's 52… registered as 521…. */
  readonly aliases = new Map<string, string>();
  /** Numbers (digits) with no WhatsApp account. */
  readonly noAccount = new Set<string>();
  /** The reach-out time lock fetchAccountReachoutTimelock reports. */
  timelock: ReachoutTimelockState = { isActive: false };
  /** The new-chat quota fetchNewChatMessageCap reports. */
  messageCap: NewChatMessageCapInfo = {};
  /** A code entered on the phone and the socket that asked for it (null when WhatsApp refused the request). */
  readonly pairingCodes = new Map<string, FakeSocket | null>();

  /** The address an account has, or null when the number has none. */
  addressOf(digits: string): string | null {
    if (this.noAccount.has(digits)) return null;
    return `${this.aliases.get(digits) ?? digits}@s.whatsapp.net`;
  }
}

const older = (a: WAVersion, b: WAVersion): boolean => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

/** The browser tuples Baileys' Browsers helper produces; WhatsApp's pairing-code request refuses anything else. */
const canonicalPlatforms = new Set(['Ubuntu', 'Mac OS', 'Windows', 'Baileys']);
const canonicalBrowsers = new Set(['Chrome', 'Firefox', 'Safari', 'Edge', 'Opera', 'Desktop']);

export interface SentRecord {
  jid: string;
  content: AnyMessageContent;
  options: MiscMessageGenerationOptions | undefined;
  message: WAMessage;
  at: number;
}

export interface InboundText {
  /** "51987654321@s.whatsapp.net" or "123456789012345@lid". */
  from: string;
  /** The other id of the same person, as Baileys 7 puts it in key.remoteJidAlt when the server tells it. */
  alt?: string;
  text?: string;
  id?: string;
  quotedId?: string;
  /** A raw message instead of text (buttons, lists, media…). */
  message?: proto.IMessage;
  /** 'append' is a message the server held while the device was offline (node.attrs.offline), as Baileys tags it. */
  type?: 'notify' | 'append';
  timestampS?: number;
}

/**
 * A stand-in for Baileys' socket. It keeps the contract the channel relies on — the auth object it was given is
 * mutated on creds.update and its keys written through the store, events carry Baileys' own shapes (Boom errors with
 * DisconnectReason codes, proto statuses, @lid keys with remoteJidAlt) — and lets a test play the phone's part.
 */
export class FakeSocket implements LinkedSocket {
  /** Baileys' own event buffer: while it buffers, updates merge into buffered messages exactly as in the library. */
  readonly ev = makeEventBuffer(quietLogger(() => undefined));
  user: Contact | undefined;
  readonly sent: SentRecord[] = [];
  readonly pairingRequests: string[] = [];
  /** Baileys' own LID store as the socket would answer it. */
  readonly lidStore = new Map<string, string>();
  /** Every onWhatsApp call with the ids it asked about: bulk checks get numbers banned. */
  readonly onWhatsAppCalls: string[][] = [];
  readonly timelockQueries: number[] = [];
  ended = false;
  loggedOut = false;
  /** The next sends throw this (a Boom, as Baileys throws), then it is cleared. */
  failNextSend: Error | null = null;
  private counter = 0;

  constructor(
    readonly config: SocketConfig,
    readonly server: FakeWhatsApp = new FakeWhatsApp(),
  ) {
    // The real socket merges every credentials update into the very object it was given.
    this.ev.on('creds.update', (update) => Object.assign(config.auth.creds, update));
    process.nextTick(() => {
      if (this.ended) return;
      // As socket.js does: a session with an id (even a half-made one from a pairing code) buffers events until the
      // server says the offline backlog is done.
      if (config.auth.creds.me?.id) this.ev.buffer();
      this.update({ connection: 'connecting', receivedPendingNotifications: false, qr: undefined });
      const version = config.version ?? DEFAULT_CONNECTION_CONFIG.version;
      // CB:failure with reason 405: WhatsApp refuses an outdated client at every attempt.
      if (older(version, this.server.minVersion)) return this.close(405, 'Connection Failure');
      // A pairing code was asked for but never entered: the socket logs in with an identity nobody registered.
      if (config.auth.creds.me?.id && !config.auth.creds.account) return this.close(DisconnectReason.loggedOut, 'Connection Failure');
    });
  }

  readonly signalRepository = {
    lidMapping: {
      getPNForLID: async (lid: string): Promise<string | null> => {
        const user = lid.split('@')[0]?.split(':')[0] ?? '';
        const pn = this.lidStore.get(user);
        // Baileys answers with the device-0 jid.
        return pn ? `${pn}:0@s.whatsapp.net` : null;
      },
    },
  };

  // ── the LinkedSocket contract ──

  async sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined> {
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    if (this.failNextSend) {
      const error = this.failNextSend;
      this.failNextSend = null;
      throw error;
    }
    const key: WAMessageKey = { remoteJid: jid, fromMe: true, id: options?.messageId ?? `3EB0${randomBytes(9).toString('hex').toUpperCase()}` };
    const message: WAMessage = {
      key,
      message: toProto(content),
      messageTimestamp: Math.floor(Date.now() / 1000),
      status: proto.WebMessageInfo.Status.PENDING,
    };
    this.sent.push({ jid, content, options, message, at: Date.now() });
    // emitOwnEvents (on by default): the sent message comes back as an `append` upsert on the next tick.
    process.nextTick(() => this.ev.emit('messages.upsert', { messages: [structuredClone(message)], type: 'append' }));
    return message;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    const code = randomBytes(5).toString('hex').toUpperCase().slice(0, 8);
    // As Baileys does: the pairing phone becomes `me` before any link exists.
    const creds = this.config.auth.creds;
    creds.pairingCode = code;
    creds.me = { id: jidEncode(phoneNumber, 's.whatsapp.net'), name: '~' };
    this.ev.emit('creds.update', creds);
    // companion_platform_display is `${browser[1]} (${browser[0]})`: WhatsApp answers a non-canonical one with
    // 400 bad-request, but Baileys does not wait for the answer and returns the code all the same.
    const [platform, browser] = this.config.browser ?? DEFAULT_CONNECTION_CONFIG.browser;
    const accepted = canonicalPlatforms.has(platform) && canonicalBrowsers.has(browser);
    this.server.pairingCodes.set(code, accepted ? this : null);
    return code;
  }

  /** The phone's user types a code: it links only if WhatsApp accepted the request that produced it. */
  async enterCode(code: string, lid: string): Promise<boolean> {
    const socket = this.server.pairingCodes.get(code);
    if (socket !== this || this.ended) return false;
    const phone = (this.config.auth.creds.me?.id ?? '').split('@')[0] ?? '';
    await this.pair(phone, lid);
    return true;
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.update({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    await this.end(new Boom('Intentional Logout', { statusCode: DisconnectReason.loggedOut }));
  }

  /** As socket.js: a USync contact query; only numbers with an account come back, under the server's own address. */
  async onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined> {
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    this.onWhatsAppCalls.push(jids);
    const out: { jid: string; exists: boolean }[] = [];
    for (const jid of jids) {
      const digits = jid.replace('+', '').split('@')[0]?.split(':')[0] ?? '';
      const address = this.server.addressOf(digits);
      if (address) out.push({ jid: address, exists: true });
    }
    return out;
  }

  async fetchAccountReachoutTimelock(): Promise<ReachoutTimelockState> {
    this.timelockQueries.push(Date.now());
    const result = { ...this.server.timelock };
    this.update({ reachoutTimeLock: result });
    return result;
  }

  async fetchNewChatMessageCap(): Promise<NewChatMessageCapInfo> {
    return { ...this.server.messageCap };
  }

  // ── the phone's side ──

  update(u: Partial<ConnectionState>): void {
    this.ev.emit('connection.update', u);
  }

  showQr(qr = `2@${randomBytes(16).toString('base64')},${randomBytes(8).toString('base64')}`): string {
    this.update({ qr });
    return qr;
  }

  /** pair-success: credentials signed by the phone, keys written, then WhatsApp asks for a restart (515). */
  async pair(phone: string, lid: string): Promise<void> {
    const { keys } = this.config.auth;
    await keys.set({
      'pre-key': { '1': { public: randomBytes(32), private: randomBytes(32) } },
      session: { [`${phone}.0`]: randomBytes(64) },
      'app-state-sync-key': {
        AAAAAF1x: proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32), timestamp: 1 }),
      },
    });
    this.ev.emit('creds.update', {
      me: { id: `${phone}:14@s.whatsapp.net`, lid: `${lid}:14@lid`, name: 'Clínica' },
      account: proto.ADVSignedDeviceIdentity.fromObject({
        details: randomBytes(40),
        accountSignatureKey: randomBytes(32),
        accountSignature: randomBytes(64),
        deviceSignature: randomBytes(64),
      }),
      platform: 'android',
      nextPreKeyId: 2,
      firstUnuploadedPreKeyId: 2,
    });
    this.update({ isNewLogin: true, qr: undefined });
    this.close(DisconnectReason.restartRequired);
  }

  /**
   * CB:success. Unless `pendingSync`, the server also says at once that nothing was held offline (CB:ib,,offline),
   * which flushes the buffer; with it, the test plays the offline backlog and calls `syncDone`.
   */
  open(o: { pendingSync?: boolean } = {}): void {
    const me = this.config.auth.creds.me;
    this.user = me ? { ...me } : undefined;
    this.update({ connection: 'open' });
    if (!o.pendingSync) this.syncDone();
  }

  /** CB:ib,,offline: the offline backlog was handled; buffered events go out, merged. */
  syncDone(): void {
    this.ev.flush();
    this.update({ receivedPendingNotifications: true });
  }

  close(statusCode: number | undefined, message = 'Connection Failure'): void {
    if (this.ended) return;
    this.ended = true;
    const error = statusCode === undefined ? new Error(message) : new Boom(message, { statusCode });
    this.update({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  /**
   * A message from someone. Ignored jids (shouldIgnoreJid) are acked and dropped before anything is decrypted;
   * a group message writes sender keys as its decryption would. A live message goes through Baileys' per-node
   * buffer (buffer, handle, flush); an offline one (`append`) joins the backlog buffer.
   */
  receive(input: InboundText): WAMessage | null {
    if (this.config.shouldIgnoreJid?.(input.from)) return null;
    if (input.from.endsWith('@g.us')) {
      void this.config.auth.keys.set({ 'sender-key': { [`${input.from}::${input.alt ?? 'someone'}::0`]: randomBytes(32) } });
    }
    const id = input.id ?? `IN${(this.counter += 1)}${randomBytes(6).toString('hex').toUpperCase()}`;
    const message: proto.IMessage =
      input.message ??
      (input.quotedId
        ? { extendedTextMessage: { text: input.text ?? '', contextInfo: { stanzaId: input.quotedId, participant: this.user?.id } } }
        : { conversation: input.text ?? '' });
    const m: WAMessage = {
      key: {
        remoteJid: input.from,
        fromMe: false,
        id,
        ...(input.alt ? { remoteJidAlt: input.alt } : {}),
        addressingMode: input.from.endsWith('@lid') ? 'lid' : 'pn',
      },
      message,
      messageTimestamp: input.timestampS ?? Math.floor(Date.now() / 1000),
      pushName: 'Paciente',
    };
    const type = input.type ?? 'notify';
    this.live(type === 'append', () => this.ev.emit('messages.upsert', { messages: [m], type }));
    return m;
  }

  /** messages-recv.js: a live node is handled inside buffer()/flush(); an offline one joins the backlog. */
  private live(offline: boolean, emit: () => void): void {
    if (offline) {
      emit();
      return;
    }
    this.ev.buffer();
    emit();
    this.ev.flush();
  }

  /** A status for one of our messages as 1:1 receipts arrive: messages.update with a proto status. */
  status(
    id: string,
    status: proto.WebMessageInfo.Status,
    opts: { remoteJid?: string; stub?: string[]; timestampS?: number; offline?: boolean } = {},
  ): void {
    this.live(opts.offline ?? false, () => this.ev.emit('messages.update', [
      {
        key: { remoteJid: opts.remoteJid ?? this.sent.find((m) => m.message.key.id === id)?.jid ?? 'x@s.whatsapp.net', fromMe: true, id },
        update: {
          status,
          ...(opts.stub ? { messageStubParameters: opts.stub } : {}),
          ...(opts.timestampS ? { messageTimestamp: opts.timestampS } : {}),
        },
      },
    ]));
  }

  /** A per-user receipt (message-receipt.update), as WhatsApp sends for groups. */
  userReceipt(id: string, kind: 'delivered' | 'read' | 'played', timestampS = Math.floor(Date.now() / 1000)): void {
    const field = kind === 'delivered' ? 'receiptTimestamp' : kind === 'read' ? 'readTimestamp' : 'playedTimestamp';
    this.ev.emit('message-receipt.update', [
      { key: { remoteJid: 'x@s.whatsapp.net', fromMe: true, id }, receipt: { userJid: 'x@s.whatsapp.net', [field]: timestampS } },
    ]);
  }

  /** Baileys 7 learning a LID ↔ phone pair (lid-mapping.update), and remembering it in its own store. */
  mapLid(lid: string, phoneDigits: string): void {
    this.lidStore.set(lid, phoneDigits);
    this.ev.emit('lid-mapping.update', { lid: `${lid}@lid`, pn: `${phoneDigits}@s.whatsapp.net` });
  }

  async readKey<T extends keyof SignalDataTypeMap>(type: T, id: string): Promise<SignalDataTypeMap[T] | undefined> {
    return (await this.config.auth.keys.get(type, [id]))[id];
  }
}

function toProto(content: AnyMessageContent): proto.IMessage {
  if ('text' in content && typeof content.text === 'string') return { extendedTextMessage: { text: content.text } };
  if ('document' in content && Buffer.isBuffer(content.document)) {
    return {
      documentMessage: {
        mimetype: content.mimetype,
        fileName: content.fileName ?? null,
        caption: content.caption ?? null,
        fileLength: content.document.length,
        mediaKey: randomBytes(32),
        url: 'https://mmg.whatsapp.net/fake',
        directPath: '/fake',
      },
    };
  }
  if ('poll' in content) return { pollCreationMessage: { name: content.poll.name, options: content.poll.values.map((optionName) => ({ optionName })) } };
  return {};
}

/** A socket factory that records every socket the channel opens, all talking to one fake WhatsApp. */
export function fakeBaileys() {
  const sockets: FakeSocket[] = [];
  const server = new FakeWhatsApp();
  // The same WhatsApp answers which client version it currently accepts; `webReachable` false is Baileys' fetch
  // failing (no internet, web.whatsapp.com changed), which answers the library's built-in version instead.
  const web = { reachable: true };
  const factory: SocketFactory = Object.assign(
    (config: SocketConfig) => {
      const s = new FakeSocket(config, server);
      sockets.push(s);
      return s;
    },
    {
      fetchVersion: async () =>
        web.reachable
          ? { version: server.minVersion }
          : { version: DEFAULT_CONNECTION_CONFIG.version, error: 'Failed to fetch sw.js: Service Unavailable' },
    },
  );
  return {
    factory,
    sockets,
    server,
    web,
    latest(): FakeSocket {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket was opened');
      return s;
    },
    /** Waits until `count` sockets were opened (each connect first asks for the version) and returns the last. */
    async opened(count: number): Promise<FakeSocket> {
      for (let i = 0; i < 2_000 && sockets.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      const s = sockets[count - 1];
      if (!s) throw new Error(`only ${sockets.length} sockets were opened, expected ${count}`);
      return s;
    },
  };
}
