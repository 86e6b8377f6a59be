import type { MessageKind } from '../../shared/domain';

/** Every kind of message, in the order the screens list them. */
export const MESSAGE_KINDS: readonly MessageKind[] = ['result', 'reminder', 'document', 'campaign', 'followup', 'manual'];
