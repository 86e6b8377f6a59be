import type { ChannelId, MessageKind } from '../../../shared/domain';

export interface OutgoingMessage {
  id: number;
  kind: MessageKind;
  toPhone: string; // E.164
  body: string;
  templateName: string | null;
  templateParams: string[];
}

export type SendOutcome =
  | { ok: true; providerId: string }
  | { ok: false; code: string; reason: string; retry: 'transient' | 'permanent' };

export interface ProviderStatus {
  providerId: string;
  state: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  errorCode?: string;
  errorReason?: string;
}

export interface InboundReply {
  providerMessageId: string;
  fromPhone: string; // E.164
  body: string;
  at: number;
  /** The provider id of the message this answers, when the channel knows it. */
  inReplyTo?: string;
}

export interface ChannelListeners {
  status(status: ProviderStatus): void;
  reply(reply: InboundReply): void;
}

/** One interface for Cloud API, linked device and demo: send, and report statuses and replies. */
export interface Channel {
  readonly id: ChannelId;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close(): void;
}

export type ChannelFactory = (listeners: ChannelListeners) => Channel;
