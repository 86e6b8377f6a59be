import type { ChannelHealth } from '../../../shared/api';
import type { ChannelId, MessageKind } from '../../../shared/domain';

export interface OutgoingMessage {
  id: number;
  kind: MessageKind;
  toPhone: string; // E.164
  /** Where an e-mail copy goes; only the e-mail channel reads it. */
  toEmail?: string | null;
  body: string;
  templateName: string | null;
  templateLanguage: string | null;
  templateParams: string[];
  document: { path: string; filename: string } | null;
  buttons: { id: string; title: string }[];
  /** The link a template's URL button opens (portal or imaging); the Cloud API fills the button's suffix from it. */
  linkUrl?: string | null;
  /** The provider said the 24-hour window is closed: send the fallback template instead of free text. */
  asTemplate: boolean;
}

/**
 * What a failed send means for the message:
 * - transient: try again later (network, 5xx, throttling);
 * - window: the 24-hour window is closed, send again as a template;
 * - permanent: this message cannot go (bad number, template problem): failed, with the reason;
 * - account: the channel itself is unusable (token, account blocked): pause the channel, keep the queue;
 * - ambiguous: the connection broke after the request may have arrived: leave it in `sending` for reconciliation,
 *   never resend blindly.
 */
export type FailureClass = 'transient' | 'window' | 'permanent' | 'account' | 'ambiguous';

export type SendOutcome =
  | { ok: true; providerId: string }
  | { ok: false; code: string; reason: string; failure: FailureClass; retryAfterMs?: number };

/** A failed send, or the work before it (an upload, a template check) that failed. */
export type SendFailure = Extract<SendOutcome, { ok: false }>;

/** What `prepare` hands to `send`: a request ready to write, or why the message cannot go. */
export type Prepared = { ok: true; request: Record<string, unknown> } | SendFailure;

export interface ProviderStatus {
  providerId: string;
  state: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  errorCode?: string;
  errorReason?: string;
  /** Our own message id when the provider echoes it back (Cloud API biz_opaque_callback_data). */
  ourId?: number;
  /** How the provider classes a failure that arrives by status (e.g. 131047 window closed). */
  failure?: FailureClass;
}

export interface InboundReply {
  providerMessageId: string;
  fromPhone: string; // E.164
  body: string;
  at: number;
  /** The provider id of the message this answers, when the channel knows it. */
  inReplyTo?: string;
  /** A quick-reply payload or button id, when the patient tapped a button. */
  payload?: string;
}

export interface ChannelListeners {
  status(status: ProviderStatus): void;
  reply(reply: InboundReply): void;
}

/** Ready, paused or not configured, and why (the API contract's type: the header and tray show it as is). */
export type { ChannelHealth };

/** Whether a message may leave now; when not, until when it should wait in the queue (null: until a person acts). */
export type Admission = { ok: true } | { ok: false; code: string; notBefore: number | null; reason: string | null };

/** One interface for Cloud API, linked device and demo: send, and report statuses and replies. */
export interface Channel {
  readonly id: ChannelId;
  /** Messages per second the channel may take; undefined means no limit of its own. */
  readonly maxPerSecond?: number;
  /** Smallest gap between two messages to the same recipient. */
  readonly recipientGapMs?: number;
  /** Asked before a message moves to `sending`: a channel's own pacing and caps keep it in the queue instead. */
  admit?(message: Pick<OutgoingMessage, 'id' | 'toPhone'>): Admission;
  /**
   * Work that may take a while and is safe to repeat (an upload, template checks), done while the message is still
   * queued, so that `sending` means the request is being written now. Without it, `send` does everything.
   */
  prepare?(message: OutgoingMessage): Promise<Prepared>;
  send(message: OutgoingMessage, prepared?: Extract<Prepared, { ok: true }>): Promise<SendOutcome>;
  close(): void;
}

export type ChannelFactory = (listeners: ChannelListeners) => Channel;
