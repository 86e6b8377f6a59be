import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer } from '../../src/main/core/api/http-server';
import type { AvisaCore } from '../../src/main/core/app';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { httpsRequest } from '../helpers/https';
import { loadOrCreateTlsCertificate } from '../../src/main/core/api/tls-certificate';

const TOKEN = 'test-token-0123456789abcdef';
const open: { server: Server; core: AvisaCore }[] = [];
afterEach(async () => {
  for (const { server, core } of open.splice(0)) {
    server.closeAllConnections();
    server.close();
    await core.stop();
  }
});

async function serve(opts: { host?: string; tls?: { key: string; cert: string } } = {}) {
  const { core } = await startCore();
  const rendererDir = tempDir('avisa-ui-');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Avisa</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const server = await startHttpServer({
    core,
    token: TOKEN,
    rendererDir,
    host: opts.host ?? '127.0.0.1',
    port: 0,
    tls: opts.tls,
  });
  open.push({ server, core });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, core };
}

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('API over HTTP', () => {
  it('refuses calls without the token or with a wrong one', async () => {
    const { base } = await serve();
    const none = await post(`${base}/api/call/app.status`, {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    expect((await post(`${base}/api/call/app.status`, {}, 'wrong')).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    // Nothing is ever read from the address: a token in the query string is no credential.
    expect((await post(`${base}/api/call/app.status?token=${TOKEN}`, {})).status).toBe(401);
    expect((await fetch(`${base}/api/events?token=${TOKEN}`)).status).toBe(401);
  });

  it('answers calls with the token, with the same results as the core', async () => {
    const { base, core } = await serve();
    const response = await post(`${base}/api/call/app.status`, {}, TOKEN);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; result: unknown };
    expect(body).toEqual({ ok: true, result: core.status() });
    // Every handler name routes, including those with more than one dot.
    const nested = await post(`${base}/api/call/sources.clinicDb.test`, { kind: 'results' }, TOKEN);
    expect(nested.status).toBe(200);
    expect(await nested.json()).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    const invalid = await post(`${base}/api/call/messages.list`, { limit: -1 }, TOKEN);
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    const broken = await fetch(`${base}/api/call/app.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
    const huge = await post(`${base}/api/call/patients.list`, { search: 'x'.repeat(33 * 1024 * 1024) }, TOKEN);
    expect(huge.status).toBe(413);
  });

  it('streams live events to a client holding the token', async () => {
    const { base } = await serve();
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events`, { signal: controller.signal, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    await post(`${base}/api/call/settings.update`, { sendingPaused: true }, TOKEN);
    let received = '';
    while (!received.includes('status.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    const line = received.split('\n').find((l) => l.startsWith('data: ') && l.includes('status.changed'));
    expect(JSON.parse(line!.slice(6))).toMatchObject({ name: 'status.changed', data: { sendingPaused: true } });
  });

  it('serves the UI with a strict CSP and never a file outside it', async () => {
    const { base } = await serve();
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
    const traversal = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('refuses to listen beyond loopback without HTTPS', async () => {
    const { core } = await startCore();
    await expect(startHttpServer({ core, token: TOKEN, rendererDir: tempDir(), host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /HTTPS/,
    );
    await core.stop();
  });

  it('listens beyond loopback over HTTPS only, where every browser must sign in as a person', async () => {
    const tls = loadOrCreateTlsCertificate(tempDir(), { names: ['127.0.0.1'] });
    const { base } = await serve({ host: '0.0.0.0', tls });
    const https = base.replace('http:', 'https:');
    const call = (path: string, body: unknown, token?: string) =>
      httpsRequest(`${https}${path}`, {
        ca: tls.cert,
        method: 'POST',
        body: JSON.stringify(body),
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    expect((await call('/api/call/app.status', {})).status).toBe(401);
    expect((await call('/api/login', { documentNumber: '123', secret: 'otra-clave' })).status).toBe(401);
    expect((await call('/api/call/app.status', {}, TOKEN)).status).toBe(200);
  });
});
