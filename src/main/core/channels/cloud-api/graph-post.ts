import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export type PostResult =
  | { ok: true; status: number; text: string }
  /** `written`: the whole request reached the socket, so Meta may have acted on it even though no answer came. */
  | { ok: false; code: string; message: string; written: boolean };

// Kept alive: a TLS handshake per message would cost more than the message at Meta's pace.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 512 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 512 }),
};

/**
 * POSTs a JSON body and says, when it fails, whether the request had been written. fetch() hides that moment; the
 * http module's 'finish' event marks it: before it (connect, TLS, a socket that broke while connecting) Meta cannot
 * have read a complete request, so a retry is clean; after it, only Meta's status webhook can tell.
 */
export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const bytes = Buffer.from(body, 'utf8');
    const https = target.protocol === 'https:';
    let written = false;
    let answered = false;
    let settled = false;
    let req: ClientRequest | null = null;
    const timer = setTimeout(() => req?.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })), timeoutMs);
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const failed = (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      // A kept-alive socket the server had already closed resets before any answer: the server never read the request
      // (Node's documentation advises retrying exactly this case).
      const staleSocket = req?.reusedSocket === true && code === 'ECONNRESET' && !answered;
      done({ ok: false, code: typeof code === 'string' ? code : 'network', message, written: written && !staleSocket });
    };
    req = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ ok: true, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', failed);
        res.on('aborted', () => failed(Object.assign(new Error('answer cut short'), { code: 'ECONNRESET' })));
      },
    );
    req.on('finish', () => {
      written = true;
    });
    req.on('error', failed);
    req.end(bytes);
  });
}
