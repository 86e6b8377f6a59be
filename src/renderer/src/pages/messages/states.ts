import type { MessageState } from '../../../../shared/domain';

/** Every state, in the order a message moves through them; each one has a label (`state.*`) and a tone. */
export const MESSAGE_STATES: readonly MessageState[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'expired',
  'cancelled',
  'unknown',
];

// `unknown` too: the core leaves those for a person to decide, and resending is that decision.
export const RESENDABLE: ReadonlySet<MessageState> = new Set(['failed', 'expired', 'unknown']);

export const CANCELLABLE: ReadonlySet<MessageState> = new Set(['queued']);
