import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { testAdmin } from '../helpers/people';
import { tempDir } from '../helpers/temp';

// Server mode opened to the network (here 127.0.0.2, not loopback for Avisa) serves HTTPS with a certificate it made.
// Ajustes must show the fingerprint the server printed, which is the one openssl reads from the file Ajustes names.

const entry = fileURLToPath(new URL('../../out/main/server.js', import.meta.url));
let child: ChildProcess | null = null;
let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
});

function startOnNetwork(dataDir: string): Promise<{ origin: string; printed: string }> {
  child = spawn(process.execPath, [entry, '--data-dir', dataDir, '--host', '127.0.0.2', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const origin = /(https:\/\/127\.0\.0\.2:\d+)\//.exec(output)?.[1];
      const printed = /SHA-256: ([0-9A-F:]+)/.exec(output)?.[1];
      if (origin && printed) {
        clearTimeout(timer);
        resolve({ origin, printed });
      }
    };
    child?.stdout?.on('data', onData);
    child?.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  });
}

/** One HTTPS call trusting exactly the server's certificate; answers the status, the body and the cookie it set. */
function post(url: string, ca: string, body: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; cookie: string | null }>((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const cookie = /avisa_session=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1] ?? null;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), cookie });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('Ajustes → Acceso remoto in a browser', () => {
  it('shows the fingerprint the server printed and openssl reads from the certificate file it names', async () => {
    const dataDir = tempDir();
    const { origin, printed } = await startOnNetwork(dataDir);
    const certFile = join(dataDir, 'tls-cert.pem');
    const ca = readFileSync(certFile, 'utf8');
    const token = readFileSync(join(dataDir, 'server-token'), 'utf8').trim();
    const openssl = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1];
    expect(printed).toBe(openssl);

    const auth = { Authorization: `Bearer ${token}` };
    const setup = await post(`${origin}/api/call/setup.complete`, ca, {
      clinicName: 'Clínica',
      sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'cloud-api',
    }, auth);
    expect(setup.status).toBe(200);
    expect((await post(`${origin}/api/call/people.create`, ca, testAdmin, auth)).status).toBe(200);
    const login = await post(`${origin}/api/login`, ca, { documentNumber: testAdmin.documentNumber, secret: testAdmin.secret });
    expect(login.cookie).not.toBeNull();

    browser = await launchChromium();
    // The browser is the clinic's PC before IT trusted the certificate: it proceeds past the warning.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addCookies([
      { name: 'avisa_session', value: login.cookie ?? '', domain: '127.0.0.2', path: '/api', httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-advanced').click();
    const card = page.getByTestId('settings-remote-access');
    await expect.poll(async () => (await card.getByTestId('remote-access-fingerprint').textContent()) ?? '', { timeout: 15_000 }).toBe(openssl);
    expect(await card.getByTestId('remote-access-file').textContent()).toBe(certFile);
    expect(await card.getByTestId('remote-access-names').textContent()).toContain('127.0.0.2');
    expect(await card.textContent()).toMatch(/autofirmado/);
  }, 90_000);
});
