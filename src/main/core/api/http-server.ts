import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AvisaCore } from '../app-types';
import type { Caller } from '../people/caller';
import { API_KEY_PREFIX } from '../people/people-service';
import { httpStatusOf } from './dispatch-guard';
import { eventLog, type EventLog } from './event-log';
import { MAX_PASSWORD_LENGTH, PRE_AUTH_MAX_BODY, requestGuard } from './request-guard';

export interface HttpServerOptions {
  core: AvisaCore;
  /** The server's own token, for local automation only (scripts on this machine): never given to a browser. */
  token: string;
  rendererDir: string;
  host: string;
  port: number;
  /** Names besides the bound address that browsers may use to reach the server (Host header check). */
  allowedHosts?: string[];
  /** PEM key and certificate: the server speaks HTTPS only. Required beyond loopback. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

// Large enough for a PDF sent by hand (base64 in JSON), small enough to bound memory.
const MAX_BODY = 32 * 1024 * 1024;
// frame-src blob: only for the PDF preview, which shows the core's document from a blob URL.
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/**
 * Server mode: the same handlers as the desktop's IPC, over HTTP. Each person signs in (/api/login) and gets a
 * session in an HttpOnly, SameSite=Strict cookie; scripts use the server's own token or an API key in the
 * Authorization header. Nothing is ever read from the URL. What each caller may do is the core's decision, the same
 * as over IPC. The UI's files need no session (they hold no data). Live events go out as Server-Sent Events.
 */
export function startHttpServer(o: HttpServerOptions): Promise<Server> {
  if (!isLoopback(o.host) && !o.tls) {
    return Promise.reject(
      new Error(
        `Se rechaza escuchar en ${o.host} sin HTTPS: las contraseñas y los datos de pacientes viajarían en claro. / ` +
          `Refusing to listen on ${o.host} without HTTPS: passwords and patient data would cross in clear text.`,
      ),
    );
  }
  const guard = requestGuard({ host: o.host, allowedHosts: o.allowedHosts });
  // Numbered and kept from the start, so a client that reconnects with Last-Event-ID gets what it missed.
  const events = eventLog(o.core.subscribe);
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const verdict = guard.check(req);
    if (!verdict.ok) return json(res, verdict.status, { ok: false, error: { code: verdict.code, message: verdict.message } });
    handle(o, events, verdict.url, req, res).catch((error: unknown) => {
      console.error('[avisa] http', error);
      // The details go to the log, not to whoever sent the request.
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else res.end();
    });
  };
  const server = o.tls ? createTlsServer({ key: o.tls.key, cert: o.tls.cert }, onRequest) : createServer(onRequest);
  server.on('close', () => events.close());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

async function handle(o: HttpServerOptions, events: EventLog, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const address = req.socket.remoteAddress ?? 'unknown';

  if (url.pathname === '/api/login' && req.method === 'POST') {
    const body = (await readJson(req, res, PRE_AUTH_MAX_BODY)) as { documentNumber?: unknown; secret?: unknown } | undefined;
    if (body === undefined) return;
    if (typeof body.documentNumber !== 'string' || typeof body.secret !== 'string') return unauthorized(res);
    if (body.documentNumber.length > MAX_PASSWORD_LENGTH || body.secret.length > MAX_PASSWORD_LENGTH) return unauthorized(res);
    const outcome = await o.core.auth.signIn(body.documentNumber, body.secret, address);
    if (!outcome.ok) {
      const limited = outcome.code === 'locked' || outcome.code === 'slow_down';
      if (limited && outcome.retryAt) res.setHeader('Retry-After', String(Math.max(1, Math.ceil((outcome.retryAt - Date.now()) / 1000))));
      return json(res, limited ? 429 : 401, { ok: false, error: { code: outcome.code, message: outcome.message } });
    }
    res.setHeader('Set-Cookie', sessionCookie(outcome.token, outcome.maxAgeSeconds));
    return json(res, 200, { ok: true, result: { person: outcome.person } });
  }
  if (url.pathname === '/api/logout' && req.method === 'POST') {
    const token = cookieOf(req, SESSION_COOKIE);
    if (token) o.core.auth.signOut(token);
    res.setHeader('Set-Cookie', sessionCookie('', 0));
    return json(res, 200, { ok: true, result: null });
  }

  if (url.pathname.startsWith('/api/')) {
    const caller: Caller = { via: 'http', address, credential: credentialOf(o, req) };

    if (url.pathname === '/api/events' && req.method === 'GET') {
      // Events carry what the screens show: only for a signed-in person (or local automation), like any call.
      const who = await o.core.invoke('session.current', {}, caller);
      const session = who.ok ? (who.result as { person: unknown; transport: string }) : null;
      if (!session || (session.person === null && session.transport !== 'automation')) return unauthorized(res);
      const lastId = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? undefined;
      return streamEvents(events, typeof lastId === 'string' ? lastId : undefined, req, res);
    }

    const name = /^\/api\/call\/([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+)$/.exec(url.pathname)?.[1];
    if (name && req.method === 'POST') {
      // Without any credential only a small body is read: the call will be refused anyway.
      const args = await readJson(req, res, caller.credential ? MAX_BODY : PRE_AUTH_MAX_BODY);
      if (args === undefined) return;
      const response = await o.core.invoke(name, args, caller);
      return json(res, httpStatusOf(response), response);
    }
    return json(res, 404, { ok: false, error: { code: 'not_found', message: 'Not found' } });
  }

  if (req.method === 'GET' || req.method === 'HEAD') return serveFile(o.rendererDir, url.pathname, res);
  res.writeHead(405).end();
}

const SESSION_COOKIE = 'avisa_session';

/** HttpOnly: page scripts never see it; SameSite=Strict: no other site's page can make the browser send it. */
function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}

/** The Authorization header (server token, API key or session) first, then the browser's session cookie. */
function credentialOf(o: HttpServerOptions, req: IncomingMessage): Extract<Caller, { via: 'http' }>['credential'] {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    if (safeEqual(bearer, o.token)) return { kind: 'automation' };
    if (bearer.startsWith(API_KEY_PREFIX)) return { kind: 'apiKey', key: bearer };
    return { kind: 'session', token: bearer };
  }
  const token = cookieOf(req, SESSION_COOKIE);
  return token ? { kind: 'session', token } : null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Live events as Server-Sent Events, each with an `id:`. A client that reconnects with Last-Event-ID (or
 * ?lastEventId=) first gets what it missed; when that is no longer known it gets an `event: resync` and should reload.
 */
function streamEvents(events: EventLog, lastId: string | undefined, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': avisa\n\n');
  const send = (e: { id: string; event: unknown }) => res.write(`id: ${e.id}\ndata: ${JSON.stringify(e.event)}\n\n`);
  if (lastId) {
    const missed = events.since(lastId);
    if (missed === null) res.write('event: resync\ndata: {}\n\n');
    else missed.forEach(send);
  }
  // Replayed and subscribed in the same tick: no event can fall between the two.
  const unsubscribe = events.listen(send);
  // Proxies and browsers drop silent connections: a comment every 25 s keeps it open.
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

function serveFile(root: string, pathname: string, res: ServerResponse): void {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if (!file.startsWith(root + sep) && file !== root) return void res.writeHead(403).end();
  // Unknown paths get the app itself: the UI routes on its own.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('La interfaz no está compilada: ejecute npm run build. / The UI is not built: run npm run build.');
  }
  res.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(res);
}

async function readJson(req: IncomingMessage, res: ServerResponse, max = MAX_BODY): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      json(res, 413, { ok: false, error: { code: 'too_large', message: 'Request body too large' } });
      return undefined;
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    json(res, 400, { ok: false, error: { code: 'invalid_json', message: 'Invalid JSON' } });
    return undefined;
  }
}

function unauthorized(res: ServerResponse): void {
  json(res, 401, {
    ok: false,
    error: { code: 'unauthorized', message: 'Inicie sesión para continuar. / Sign in to continue.' },
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
