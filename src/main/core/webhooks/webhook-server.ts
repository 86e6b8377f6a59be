import { createServer, type Server } from 'node:http';
import { signatureMatches } from './signature';

export interface WebhookServerOptions {
  host: string;
  port: number;
  /** Read on every request, so a changed secret takes effect without a restart. */
  verifyToken: () => string | null;
  appSecret: () => string | null;
  /** Stores the authenticated body durably; called before the 200 goes out. */
  accept: (rawBody: string) => void;
  /** A POST was refused (401 bad or missing signature, 413 too large): counted, so a person sees it. */
  onRefused?: (httpStatus: number, reason: 'signature' | 'too_large') => void;
}

// Meta batches up to about 1,000 updates per POST; a few MB is generous and still bounds memory.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/**
 * The Cloud API webhook endpoint, on its own port (exposed through the clinic's reverse proxy or tunnel).
 * GET answers Meta's verification handshake; POST accepts a body only with a valid signature, stores it and
 * answers 200 at once. The work happens after, from the store.
 */
export function startWebhookServer(o: WebhookServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      const token = o.verifyToken();
      const ok =
        url.searchParams.get('hub.mode') === 'subscribe' &&
        token !== null &&
        token !== '' &&
        url.searchParams.get('hub.verify_token') === token;
      res.writeHead(ok ? 200 : 403, { 'Content-Type': 'text/plain' });
      res.end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'Forbidden');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BYTES) {
        tooLarge = true;
        o.onRefused?.(413, 'too_large');
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const raw = Buffer.concat(chunks);
      const secret = o.appSecret();
      if (!secret || !signatureMatches(raw, req.headers['x-hub-signature-256'] as string | undefined, secret)) {
        o.onRefused?.(401, 'signature');
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Invalid signature');
        return;
      }
      try {
        o.accept(raw.toString('utf8'));
      } catch (error) {
        // Not stored: let Meta retry later rather than lose it.
        console.error('[avisa] webhook could not be stored', error);
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
