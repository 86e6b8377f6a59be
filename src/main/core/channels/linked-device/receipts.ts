import { proto, toNumber, type MessageUserReceiptUpdate, type WAMessageUpdate } from '@whiskeysockets/baileys';
import type { ProviderStatus } from '../channel';

export type DeliveryState = ProviderStatus['state'];

/** A status as WhatsApp reported it for one of our messages, before it is matched to the outbox. */
export interface ReceiptEvent {
  providerId: string;
  state: DeliveryState;
  at: number;
  /** WhatsApp's error code for a failed message (e.g. "463"), from the update's stub parameters. */
  errorCode?: string;
}

const Status = proto.WebMessageInfo.Status;

/**
 * Baileys' message status → Avisa's: server ack → sent, delivery ack → delivered, read or played → read, error →
 * failed. Pending says nothing new. The outbox's state machine only moves forward, so the order they arrive in does
 * not matter.
 */
export function stateOfStatus(status: number | null | undefined): DeliveryState | null {
  switch (status) {
    case Status.ERROR:
      return 'failed';
    case Status.SERVER_ACK:
      return 'sent';
    case Status.DELIVERY_ACK:
      return 'delivered';
    case Status.READ:
    case Status.PLAYED:
      return 'read';
    default:
      return null;
  }
}

const millis = (seconds: Parameters<typeof toNumber>[0], fallback: number): number => {
  const s = toNumber(seconds);
  return s > 0 ? s * 1000 : fallback;
};

/** `messages.update`: how 1:1 receipts arrive. Only our own messages (fromMe) carry delivery news. */
export function receiptsFromUpdates(updates: WAMessageUpdate[], now: number): ReceiptEvent[] {
  const out: ReceiptEvent[] = [];
  for (const { key, update } of updates) {
    if (!key.fromMe || !key.id) continue;
    const state = stateOfStatus(update.status);
    if (!state) continue;
    const event: ReceiptEvent = { providerId: key.id, state, at: millis(update.messageTimestamp, now) };
    if (state === 'failed') {
      const stub: unknown = update.messageStubParameters;
      const code = Array.isArray(stub) ? stub[0] : undefined;
      event.errorCode = typeof code === 'string' && code ? code : 'error';
      // A failure is news from now: its timestamp is the original message's, if any.
      event.at = now;
    }
    out.push(event);
  }
  return out;
}

/** `message-receipt.update`: per-recipient receipts (WhatsApp sends these for groups; harmless for 1:1). */
export function receiptsFromUserReceipts(updates: MessageUserReceiptUpdate[], now: number): ReceiptEvent[] {
  const out: ReceiptEvent[] = [];
  for (const { key, receipt } of updates) {
    if (!key.fromMe || !key.id) continue;
    const readAt = receipt.playedTimestamp ?? receipt.readTimestamp;
    if (readAt) out.push({ providerId: key.id, state: 'read', at: millis(readAt, now) });
    else if (receipt.receiptTimestamp) out.push({ providerId: key.id, state: 'delivered', at: millis(receipt.receiptTimestamp, now) });
  }
  return out;
}
