import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AvisaCore } from '../app-types';
import { eventLog, type EventLog } from './event-log';

export interface HttpServerOptions {
  core: AvisaCore;
  token: string;
  /** scrypt hash ("salt:hash", hex) of the password that lets remote browsers log in; empty when none. */
  passwordHash: string;
  rendererDir: string;
  host: string;
  port: number;
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

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  return safeEqual(scryptSync(password, Buffer.from(salt, 'hex'), 32).toString('hex'), hash);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Server mode: the same handlers as the desktop's IPC, over HTTP. Every API call needs the token; the UI's files do
 * not (they hold no data). Live events go out as Server-Sent Events.
 */
export function startHttpServer(o: HttpServerOptions): Promise<Server> {
  if (!isLoopback(o.host) && !o.passwordHash) {
    return Promise.reject(
      new Error(
        `Se rechaza escuchar en ${o.host}: fuera de 127.0.0.1 hace falta una contraseña (AVISA_SERVER_PASSWORD). / ` +
          `Refusing to listen on ${o.host}: beyond 127.0.0.1 a password is required (AVISA_SERVER_PASSWORD).`,
      ),
    );
  }
  // Numbered and kept from the start, so a client that reconnects with Last-Event-ID gets what it missed.
  const events = eventLog(o.core.subscribe);
  const server = createServer((req, res) => {
    handle(o, events, req, res).catch((error: unknown) => {
      console.error('[avisa] http', error);
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: String(error) } });
      else res.end();
    });
  });
  server.on('close', () => events.close());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

async function handle(o: HttpServerOptions, events: EventLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');

  if (url.pathname === '/api/login' && req.method === 'POST') {
    const body = (await readJson(req, res)) as { password?: unknown } | undefined;
    if (body === undefined) return;
    if (o.passwordHash && typeof body.password === 'string' && passwordMatches(body.password, o.passwordHash)) {
      return json(res, 200, { ok: true, result: { token: o.token } });
    }
    return unauthorized(res);
  }

  if (url.pathname.startsWith('/api/')) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('token') ?? '';
    if (!safeEqual(bearer, o.token)) return unauthorized(res);

    if (url.pathname === '/api/events' && req.method === 'GET') {
      const lastId = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? undefined;
      return streamEvents(events, typeof lastId === 'string' ? lastId : undefined, req, res);
    }

    const name = /^\/api\/call\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(url.pathname)?.[1];
    if (name && req.method === 'POST') {
      const args = await readJson(req, res);
      if (args === undefined) return;
      const response = await o.core.invoke(name, args);
      return json(res, 200, response);
    }
    return json(res, 404, { ok: false, error: { code: 'not_found', message: 'Not found' } });
  }

  if (req.method === 'GET' || req.method === 'HEAD') return serveFile(o.rendererDir, url.pathname, res);
  res.writeHead(405).end();
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

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
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
    error: { code: 'unauthorized', message: 'Falta el token de acceso o no es válido. / Missing or invalid access token.' },
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
