import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookInbox } from './webhook-inbox';
import { startWebhookServer } from './webhook-server';

export interface WebhookReceiverOptions {
  host: string;
  /** The port from the settings, read at each start (0: any free port). */
  port: () => number;
  verifyToken: () => string | null;
  appSecret: () => string | null;
  inbox: WebhookInbox;
}

export interface WebhookReceiverState {
  port: number;
  listening: boolean;
  error: string | null;
}

/** The HTTP receiver for the Cloud API's webhooks: started while the Cloud API is in use, its bodies into the inbox. */
export function webhookReceiver(o: WebhookReceiverOptions) {
  let webhook: { server: Server | null; port: number; error: string | null } | null = null;

  const stop = async (): Promise<void> => {
    const server = webhook?.server;
    webhook = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    async start(): Promise<void> {
      const port = o.port();
      if (webhook?.server && (webhook.port === port || port === 0)) return;
      await stop();
      webhook = { server: null, port, error: null };
      try {
        webhook.server = await startWebhookServer({
          host: o.host,
          port,
          verifyToken: o.verifyToken,
          appSecret: o.appSecret,
          accept: (raw) => o.inbox.accept(raw),
        });
        webhook.port = (webhook.server.address() as AddressInfo).port;
      } catch (error) {
        // Sending still works without webhooks; statuses wait. The UI shows why.
        webhook.error = String(error instanceof Error ? error.message : error);
      }
    },
    stop,
    state: (): WebhookReceiverState | null =>
      webhook ? { port: webhook.port, listening: webhook.server !== null, error: webhook.error } : null,
  };
}
