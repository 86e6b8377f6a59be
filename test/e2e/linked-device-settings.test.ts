import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DisconnectReason } from '@whiskeysockets/baileys';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import type { AvisaCore } from '../../src/main/core/app';
import { fakeBaileys } from '../fakes/baileys-socket';
import { launchChromium } from '../helpers/browser';
import { startCore } from '../helpers/core';
import { signInBrowsersTo } from '../helpers/people';
import { tempDir } from '../helpers/temp';

// The linking screen, the budget card and an account alert, in a browser against the app in server mode with
// Baileys played by the fake (build the UI first: npx electron-vite build).

const TOKEN = 'linked-device-ui-token-0123456789';
let browser: Browser;
let core: AvisaCore;
let server: Server;
let base: string;
const baileys = fakeBaileys();

beforeAll(async () => {
  const started = await startCore(tempDir(), { makeSocket: baileys.factory });
  core = started.core;
  await started.call('setup.complete', {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'linked-device',
  });
  server = await startHttpServer({
    core,
    token: TOKEN,
    rendererDir: join(process.cwd(), 'out', 'renderer'),
    host: '127.0.0.1',
    port: 0,
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await signInBrowsersTo(core, base);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await core?.stop();
});

describe('linked device settings in a browser', () => {
  it('links by a code shown in Avisa, shows the warm-up in the budget, and an account alert with a retry', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-whatsapp').click();

    await page.getByTestId('ld-code-phone').fill('+51 955 500 100');
    await page.getByTestId('ld-link-code').click();
    await expect.poll(() => baileys.sockets.length, { timeout: 10_000 }).toBe(1);
    const first = baileys.latest();
    first.showQr();
    await page.getByTestId('ld-pairing-code').waitFor();
    const shown = (await page.getByTestId('ld-pairing-code').innerText()).replace(/\W/g, '');
    // The code is the one WhatsApp accepted for this socket: typed on the phone, it links.
    expect(await first.enterCode(shown, '88001122334455')).toBe(true);
    await expect.poll(() => baileys.sockets.length, { timeout: 10_000 }).toBe(2);
    baileys.latest().open();
    await expect.poll(() => page.getByTestId('ld-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => page.getByTestId('ld-phone').innerText(), { timeout: 10_000 }).toBe('+51955500100');

    // A new link warms up: today's cap is the start value.
    await expect.poll(() => page.getByTestId('ld-budget-warmup').innerText(), { timeout: 10_000 }).toMatch(/día 1 de 7.*30.*150/);
    await expect.poll(() => page.getByTestId('ld-budget-sent').innerText(), { timeout: 10_000 }).toMatch(/0 de 30/);

    // WhatsApp bans the number: no more "Conectando…", the reason and a way to try again later.
    baileys.latest().close(DisconnectReason.forbidden);
    await expect.poll(() => page.getByTestId('ld-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('account_restricted');
    await expect.poll(() => page.getByTestId('ld-reason').innerText(), { timeout: 10_000 }).toMatch(/403/);
    await expect.poll(() => page.getByText(/no deja conectarse a este número/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(baileys.sockets).toHaveLength(2);
    await page.getByTestId('ld-reconnect').click();
    await expect.poll(() => baileys.sockets.length, { timeout: 10_000 }).toBe(3);
    baileys.latest().open();
    await expect.poll(() => page.getByTestId('ld-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    expect(errors).toEqual([]);
  }, 120_000);
});
