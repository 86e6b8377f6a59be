import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Boom } from '@hapi/boom';
import {
  DisconnectReason,
  proto,
  type AnyMessageContent,
  type BaileysEventEmitter,
  type BaileysEventMap,
  type ConnectionState,
  type Contact,
  type MiscMessageGenerationOptions,
  type SignalDataTypeMap,
  type WAMessage,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { LinkedSocket, SocketConfig, SocketFactory } from '../../src/main/core/channels/linked-device/socket';

/** Baileys' event emitter contract over Node's: every emit is typed by BaileysEventMap. */
class TypedEv implements BaileysEventEmitter {
  private readonly inner = new EventEmitter();
  on<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void {
    this.inner.on(event, listener);
  }
  off<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void {
    this.inner.off(event, listener);
  }
  removeAllListeners<T extends keyof BaileysEventMap>(event: T): void {
    this.inner.removeAllListeners(event);
  }
  emit<T extends keyof BaileysEventMap>(event: T, arg: BaileysEventMap[T]): boolean {
    return this.inner.emit(event, arg);
  }
}

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
  type?: 'notify' | 'append';
  timestampS?: number;
}

/**
 * A stand-in for Baileys' socket. It keeps the contract the channel relies on — the auth object it was given is
 * mutated on creds.update and its keys written through the store, events carry Baileys' own shapes (Boom errors with
 * DisconnectReason codes, proto statuses, @lid keys with remoteJidAlt) — and lets a test play the phone's part.
 */
export class FakeSocket implements LinkedSocket {
  readonly ev = new TypedEv();
  user: Contact | undefined;
  readonly sent: SentRecord[] = [];
  readonly pairingRequests: string[] = [];
  /** Baileys' own LID store as the socket would answer it. */
  readonly lidStore = new Map<string, string>();
  /** Bulk "is on WhatsApp" checks get numbers banned: the channel must never make one. */
  onWhatsAppCalls = 0;
  ended = false;
  loggedOut = false;
  /** The next sends throw this (a Boom, as Baileys throws), then it is cleared. */
  failNextSend: Error | null = null;
  private counter = 0;

  constructor(readonly config: SocketConfig) {
    // The real socket merges every credentials update into the very object it was given.
    this.ev.on('creds.update', (update) => Object.assign(config.auth.creds, update));
    // Baileys announces `connecting` on the next tick, once the caller has subscribed.
    process.nextTick(() => this.update({ connection: 'connecting', receivedPendingNotifications: false, qr: undefined }));
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
    return message;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    // As Baileys does: the pairing phone becomes `me` before any link exists.
    this.ev.emit('creds.update', { me: { id: `${phoneNumber}@s.whatsapp.net`, name: '~' }, pairingCode: 'ABCD1234' });
    return 'ABCD1234';
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

  async onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[]> {
    this.onWhatsAppCalls += 1;
    return jids.map((jid) => ({ jid, exists: true }));
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

  open(): void {
    const me = this.config.auth.creds.me;
    this.user = me ? { ...me } : undefined;
    this.update({ connection: 'open' });
  }

  close(statusCode: number | undefined, message = 'Connection Failure'): void {
    this.ended = true;
    const error = statusCode === undefined ? new Error(message) : new Boom(message, { statusCode });
    this.update({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  receive(input: InboundText): WAMessage {
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
    this.ev.emit('messages.upsert', { messages: [m], type: input.type ?? 'notify' });
    return m;
  }

  /** A status for one of our messages as 1:1 receipts arrive: messages.update with a proto status. */
  status(id: string, status: proto.WebMessageInfo.Status, opts: { remoteJid?: string; stub?: string[]; timestampS?: number } = {}): void {
    this.ev.emit('messages.update', [
      {
        key: { remoteJid: opts.remoteJid ?? 'x@s.whatsapp.net', fromMe: true, id },
        update: {
          status,
          ...(opts.stub ? { messageStubParameters: opts.stub } : {}),
          ...(opts.timestampS ? { messageTimestamp: opts.timestampS } : {}),
        },
      },
    ]);
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

/** A socket factory that records every socket the channel opens. */
export function fakeBaileys() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (config) => {
    const s = new FakeSocket(config);
    sockets.push(s);
    return s;
  };
  return {
    factory,
    sockets,
    latest(): FakeSocket {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket was opened');
      return s;
    },
  };
}
