import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

// Checks every request before anything else looks at it. A web page the clinic's staff opens can point a name it
// controls at 127.0.0.1 (DNS rebinding) and then talk to Avisa as "same origin": refusing any Host that is not the
// address Avisa listens on, or a name the administrator configured, ends that. Origin is checked on API calls so
// no other site's script can call them from a browser. Bodies before login are kept small, and a URL that does not
// decode is a 400, not an exception.

/** Largest body accepted before the caller is authenticated (the login form: a password in JSON). */
export const PRE_AUTH_MAX_BODY = 4 * 1024;
/** Longest password Avisa hashes: scrypt over megabytes would be a way to burn the server's CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface RequestGuardOptions {
  /** The address the server listens on (`--host`). */
  host: string;
  /** Extra names the clinic reaches Avisa by (a DNS name, a reverse proxy's name). */
  allowedHosts?: string[];
}

export type GuardVerdict =
  | { ok: true; url: URL }
  | { ok: false; status: number; code: string; message: string };

export interface RequestGuard {
  check(req: IncomingMessage): GuardVerdict;
}

export function requestGuard(o: RequestGuardOptions): RequestGuard {
  const allowed = allowedHostNames(o.host, o.allowedHosts ?? []);
  return {
    check(req) {
      const hostHeader = req.headers.host ?? '';
      const hostname = hostnameOf(hostHeader);
      if (!hostname || !allowed(hostname)) {
        return refuse(421, 'bad_host', 'Nombre de servidor no permitido. / Host name not allowed.');
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
        decodeURIComponent(url.pathname);
      } catch {
        return refuse(400, 'bad_url', 'Dirección mal formada. / Malformed URL.');
      }
      if (url.pathname.startsWith('/api/')) {
        const origin = req.headers.origin;
        // Browsers send Origin on every POST and on cross-origin GETs; its absence means a same-origin GET or a
        // non-browser client, which the token then judges.
        if (origin !== undefined && !sameOrigin(origin, hostHeader, isEncrypted(req))) {
          return refuse(403, 'bad_origin', 'Origen no permitido. / Origin not allowed.');
        }
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (url.pathname === '/api/login' && length > PRE_AUTH_MAX_BODY) {
        return refuse(413, 'too_large', 'Request body too large');
      }
      return { ok: true, url };
    },
  };
}

function refuse(status: number, code: string, message: string): GuardVerdict {
  return { ok: false, status, code, message };
}

function isEncrypted(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket && req.socket.encrypted === true;
}

function sameOrigin(origin: string, hostHeader: string, encrypted: boolean): boolean {
  return origin.toLowerCase() === `${encrypted ? 'https' : 'http'}://${hostHeader.toLowerCase()}`;
}

/** "name:port", "[v6]:port" or a bare name → the name, lower case, without a trailing dot; null when malformed. */
export function hostnameOf(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase();
  if (!value) return null;
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (v6?.[1]) return v6[1];
  const named = /^([a-z0-9.-]+)(?::\d+)?$/.exec(value);
  return named?.[1] ? named[1].replace(/\.$/, '') : null;
}

const LOOPBACK_NAMES = ['127.0.0.1', '::1', 'localhost'];

function allowedHostNames(bound: string, configured: string[]): (name: string) => boolean {
  const names = new Set(configured.map((n) => n.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean));
  const host = bound.toLowerCase();
  if (LOOPBACK_NAMES.includes(host)) for (const n of LOOPBACK_NAMES) names.add(n);
  else if (host === '0.0.0.0' || host === '::') {
    // Listening everywhere: this machine's own addresses are the bound ones.
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase());
    for (const n of LOOPBACK_NAMES) names.add(n);
  } else names.add(host);
  return (name) => names.has(name) || (isIP(name) === 6 && names.has(name.replace(/^::ffff:/, '')));
}
