import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AvisaCore } from '../app-types';
import { MAX_PASSWORD_LENGTH, PRE_AUTH_MAX_BODY, requestGuard } from './request-guard';

export interface HttpServerOptions {
  core: AvisaCore;
  token: string;
  /** scrypt hash ("salt:hash", hex) of the password that lets remote browsers log in; empty when none. */
  passwordHash: string;
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
  if (!isLoopback(o.host) && !o.tls) {
    return Promise.reject(
      new Error(
        `Se rechaza escuchar en ${o.host} sin HTTPS: la contraseña y los datos de pacientes viajarían en claro. / ` +
          `Refusing to listen on ${o.host} without HTTPS: the password and patient data would cross in clear text.`,
      ),
    );
  }
  const guard = requestGuard({ host: o.host, allowedHosts: o.allowedHosts });
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const verdict = guard.check(req);
    if (!verdict.ok) return json(res, verdict.status, { ok: false, error: { code: verdict.code, message: verdict.message } });
    handle(o, verdict.url, req, res).catch((error: unknown) => {
      console.error('[avisa] http', error);
      // The details go to the log, not to whoever sent the request.
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else res.end();
    });
  };
  const server = o.tls ? createTlsServer({ key: o.tls.key, cert: o.tls.cert }, onRequest) : createServer(onRequest);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

async function handle(o: HttpServerOptions, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');

  if (url.pathname === '/api/login' && req.method === 'POST') {
    const body = (await readJson(req, res, PRE_AUTH_MAX_BODY)) as { password?: unknown } | undefined;
    if (body === undefined) return;
    const password = typeof body.password === 'string' && body.password.length <= MAX_PASSWORD_LENGTH ? body.password : null;
    if (o.passwordHash && password !== null && passwordMatches(password, o.passwordHash)) {
      return json(res, 200, { ok: true, result: { token: o.token } });
    }
    return unauthorized(res);
  }

  if (url.pathname.startsWith('/api/')) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('token') ?? '';
    if (!safeEqual(bearer, o.token)) return unauthorized(res);

    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(o.core, req, res);

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

function streamEvents(core: AvisaCore, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': avisa\n\n');
  const unsubscribe = core.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
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
    error: { code: 'unauthorized', message: 'Falta el token de acceso o no es válido. / Missing or invalid access token.' },
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
