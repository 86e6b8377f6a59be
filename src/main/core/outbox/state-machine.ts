import type { MessageState } from '../../../shared/domain';

/**
 * The only moves a message may make. Provider statuses only go forward (sent → delivered → read); `sending → queued`
 * is the retry after a transient error, before the provider accepted anything. Terminal states never move: a resend
 * is a new message that points at the old one.
 */
const allowed: Record<MessageState, readonly MessageState[]> = {
  queued: ['sending', 'cancelled', 'expired', 'failed'],
  sending: ['queued', 'sent', 'delivered', 'read', 'failed', 'unknown'],
  sent: ['delivered', 'read', 'failed'],
  delivered: ['read'],
  read: [],
  failed: [],
  expired: [],
  cancelled: [],
  // A status that arrives late settles it; otherwise it stays for a person to resend.
  unknown: ['sent', 'delivered', 'read', 'failed'],
};

export function canMove(from: MessageState, to: MessageState): boolean {
  return allowed[from].includes(to);
}

const delivery: readonly MessageState[] = ['sent', 'delivered', 'read'];

/** States passed over on the way (a `read` arriving first also means sent and delivered). */
export function impliedStates(to: MessageState): MessageState[] {
  const i = delivery.indexOf(to);
  return i > 0 ? delivery.slice(0, i) : [];
}

export function isTerminal(state: MessageState): boolean {
  return allowed[state].length === 0;
}

export const messageStates = Object.keys(allowed) as MessageState[];
