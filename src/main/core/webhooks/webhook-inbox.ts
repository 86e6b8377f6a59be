import type { ChannelListeners, InboundReply, ProviderStatus } from '../channels/channel';
import type { Db } from '../store/db';
import { insertWebhook, markWebhookProcessed, pendingWebhooks } from '../store/webhooks-repo';

export interface WebhookInboxOptions {
  db: Db;
  now: () => number;
  /** What a stored body says: the provider's statuses and the patients' replies. */
  parse: (body: string) => { statuses: ProviderStatus[]; replies: InboundReply[] };
  listeners: ChannelListeners;
}

export interface WebhookInbox {
  /** Keeps a verified body durably, then applies it soon: the provider gets its 200 only after the row exists. */
  accept(raw: string): void;
  /** Applies stored webhook bodies in order; each one once, whatever happens to the process in between. */
  drain(): void;
}

export function webhookInbox(o: WebhookInboxOptions): WebhookInbox {
  let draining = false;
  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      for (let batch = pendingWebhooks(o.db, 200); batch.length; batch = pendingWebhooks(o.db, 200)) {
        for (const row of batch) {
          let error: string | null = null;
          try {
            const { statuses, replies } = o.parse(row.body);
            for (const s of statuses) o.listeners.status(s);
            for (const r of replies) o.listeners.reply(r);
          } catch (e) {
            error = String(e);
          }
          markWebhookProcessed(o.db, row.id, o.now(), error);
        }
      }
    } finally {
      draining = false;
    }
  };
  return {
    accept(raw) {
      insertWebhook(o.db, raw, o.now());
      setImmediate(drain);
    },
    drain,
  };
}
