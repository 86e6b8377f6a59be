import type { ArgsOf, BulkSendResult, ResultOf } from '../../../shared/api';
import type { MessageState } from '../../../shared/domain';
import { clientIdempotencyKey, enqueueManually } from '../outbox/manual-send';
import { OutboxError } from '../outbox/outbox';
import { messageStates } from '../outbox/state-machine';
import { countByStateWhere, getMessage, getMessageByKey, getMessageByProviderId } from '../store/messages-repo';
import { HandlerError } from './handler-error';
import type { HandlerContext } from './handler-context';

type IntegratorHandlerName = 'messages.lookup' | 'messages.counts' | 'messages.sendBulk';
type Handlers = { [N in IntegratorHandlerName]: (args: ArgsOf<N>) => ResultOf<N> };

/**
 * For the clinic's own systems calling the local API: find a message however they know it, count by state, and
 * enqueue many at once (each with its own idempotency key, so a retried batch sends nothing twice).
 */
export function integratorHandlers(ctx: HandlerContext): Handlers {
  return {
    'messages.lookup': (args) => {
      const found =
        'id' in args
          ? getMessage(ctx.db, args.id)
          : 'clientKey' in args
            ? getMessageByKey(ctx.db, clientIdempotencyKey(args.clientKey))
            : getMessageByProviderId(ctx.db, args.providerId);
      return found ?? null;
    },
    'messages.counts': (args) => {
      const counts = countByStateWhere(ctx.db, args);
      return Object.fromEntries(messageStates.map((s) => [s, counts[s] ?? 0])) as Record<MessageState, number>;
    },
    'messages.sendBulk': (args) => {
      const results = args.messages.map((input): BulkSendResult => {
        try {
          return { ok: true, ...enqueueManually(ctx, input, 'integrador') };
        } catch (error) {
          // One refused message (no consent, no phone) does not stop the rest; the caller sees which and why.
          if (error instanceof HandlerError || error instanceof OutboxError) return { ok: false, code: error.code, message: error.message };
          throw error;
        }
      });
      const created = results.filter((r) => r.ok && r.created).length;
      ctx.audit('message.bulk_send', 'message', null, { count: args.messages.length, created });
      return results;
    },
  };
}
