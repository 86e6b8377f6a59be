import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import { fingerprintOf, loadOrCreateTlsCertificate, TLS_CERT_FILE } from '../../src/main/core/api/tls-certificate';
import type { AvisaCore } from '../../src/main/core/app';
import { startCore } from '../helpers/core';
import { httpsRequest } from '../helpers/https';
import { tempDir } from '../helpers/temp';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// What a web page or a process on the LAN can throw at server mode before logging in.

const TOKEN = 'guard-token-0123456789abcdef';
const ADMIN = { name: 'Ana Salas', documentNumber: '40000001', roles: ['admin' as const] };
const open: { server: Server; core: AvisaCore }[] = [];
afterEach(async () => {
  for (const { server, core } of open.splice(0)) {
    server.closeAllConnections();
    server.close();
    await core.stop();
  }
});

async function serve(o: { host?: string; allowedHosts?: string[]; tls?: { key: string; cert: string } } = {}) {
  const { core } = await startCore();
  // The person who signs in from the browser.
  await core.invoke('people.bootstrap', { ...ADMIN, secretKind: 'password', secret: 'clave-segura' });
  const server = await startHttpServer({
    core,
    token: TOKEN,
    rendererDir: tempDir('avisa-ui-'),
    host: o.host ?? '127.0.0.1',
    port: 0,
    allowedHosts: o.allowedHosts,
    tls: o.tls,
  });
  open.push({ server, core });
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  body: string;
}

/** A raw request, so the Host and Origin headers are exactly what an attacker's page would make a browser send. */
function raw(port: number, o: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: o.path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const login = (port: number, password: string, headers: Record<string, string> = {}) =>
  raw(port, {
    path: '/api/login',
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ documentNumber: ADMIN.documentNumber, secret: password }),
  });

describe('DNS rebinding', () => {
  it('refuses a Host that is not the bound address or a configured name, before the password is even looked at', async () => {
    const port = await serve({ allowedHosts: ['avisa.clinica.pe'] });
    // The attacker's name, rebound to 127.0.0.1: the right password does not help.
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', '127.0.0.1.nip.io', 'localhost.attacker.example']) {
      const answer = await login(port, 'clave-segura', { Host: host });
      expect(answer.status, host).not.toBe(200);
      expect(answer.body, host).not.toContain(TOKEN);
      const page = await raw(port, { path: '/', headers: { Host: host } });
      expect(page.status, host).not.toBe(200);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `avisa.clinica.pe:${port}`, 'AVISA.clinica.pe.']) {
      expect((await login(port, 'clave-segura', { Host: host })).status, host).toBe(200);
    }
  });

  it('checks Origin on every API call: another site’s script is refused even with the token', async () => {
    const port = await serve();
    const call = (origin?: string) =>
      raw(port, {
        path: '/api/call/app.status',
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, ...(origin ? { Origin: origin } : {}) },
        body: '{}',
      });
    expect((await call('http://attacker.example')).status).toBe(403);
    expect((await call('null')).status).toBe(403);
    expect((await call(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
    expect((await login(port, 'clave-segura', { Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await call(`http://127.0.0.1:${port}`)).status).toBe(200);
    expect((await call()).status).toBe(200);
  });
});

describe('before login', () => {
  it('accepts only a few KiB of body and a bounded password', async () => {
    const port = await serve();
    const big = await raw(port, {
      path: '/api/login',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(31 * 1024 * 1024, 0x61),
    }).catch((error: unknown) => ({ status: -1, body: String(error) }));
    // Refused from the declared length, or the connection is cut: never read to the end.
    expect(big.status === 413 || big.status === -1).toBe(true);
    // Chunked (no length declared): stopped at the limit all the same.
    const chunked = await raw(port, {
      path: '/api/login',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: JSON.stringify({ documentNumber: ADMIN.documentNumber, secret: 'x'.repeat(64 * 1024) }),
    }).catch(() => ({ status: 413, body: '' }));
    expect(chunked.status).toBe(413);
    // A long password is refused without hashing it, whatever it is.
    expect((await login(port, 'clave-segura' + ' '.repeat(2000))).status).toBe(401);
    expect((await login(port, 'clave-segura')).status).toBe(200);
  });

  it('a malformed percent-encoding is a 400 without the exception text', async () => {
    const port = await serve();
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js', '/api/call/%E0']) {
      const answer = await raw(port, { path });
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).not.toMatch(/URIError|at .*\.ts/);
    }
  });
});

describe('HTTPS beyond loopback', () => {
  it('refuses to listen on the LAN in plain HTTP', async () => {
    const { core } = await startCore();
    try {
      await expect(
        startHttpServer({ core, token: TOKEN, rendererDir: tempDir(), host: '0.0.0.0', port: 0 }),
      ).rejects.toThrow(/HTTPS/);
    } finally {
      await core.stop();
    }
  });

  it('makes a self-signed certificate once, owner-only, with the fingerprint shown; plain HTTP gets no answer', async () => {
    const dataDir = tempDir();
    const first = loadOrCreateTlsCertificate(dataDir, { names: ['127.0.0.1', 'avisa.local'] });
    expect(first.generated).toBe(true);
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(join(dataDir, TLS_CERT_FILE)).mode & 0o077).toBe(0);
    const again = loadOrCreateTlsCertificate(dataDir, { names: ['127.0.0.1'] });
    expect(again).toMatchObject({ generated: false, fingerprint: first.fingerprint });
    expect(fingerprintOf(readFileSync(join(dataDir, TLS_CERT_FILE), 'utf8'))).toBe(first.fingerprint);

    const port = await serve({ host: '0.0.0.0', tls: first });
    const answer = await httpsRequest(`https://127.0.0.1:${port}/api/login`, {
      ca: first.cert,
      method: 'POST',
      body: JSON.stringify({ documentNumber: ADMIN.documentNumber, secret: 'clave-segura' }),
    });
    expect(answer.status).toBe(200);
    const plain = await login(port, 'clave-segura').catch((error: unknown) => ({ status: -1, body: String(error) }));
    expect(plain.status === -1 || plain.status === 400).toBe(true);
    expect(plain.body).not.toContain(TOKEN);
  });
});
