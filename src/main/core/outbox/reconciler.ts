import type { Db } from '../store/db';
import { staleSendingIds } from '../store/messages-repo';
import type { Outbox } from './outbox';

export interface ReconcilerOptions {
  db: Db;
  outbox: Outbox;
  now: () => number;
  graceMs: () => number;
  autoResend: () => boolean;
  reason: () => string;
}

/**
 * Messages left in `sending` (a crash or a broken connection between the call and the write) wait for the
 * provider's status webhook, which carries our id. After the grace period without one they become `unknown`:
 * a person decides about a resend, unless the clinic chose automatic resends.
 */
export function reconcileSending(o: ReconcilerOptions): number {
  const ids = staleSendingIds(o.db, o.now() - o.graceMs());
  for (const id of ids) {
    if (!o.outbox.move(id, 'unknown', { errorCode: 'unconfirmed', errorReason: o.reason() })) continue;
    if (o.autoResend()) o.outbox.resend(id, 'system');
  }
  return ids.length;
}
