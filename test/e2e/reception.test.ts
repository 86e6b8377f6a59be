import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import { startFakeGraph, type FakeGraph } from '../fakes/graph-api';
import { launchChromium } from '../helpers/browser';
import { APP_SECRET, TOKEN, connectCloudApi, templates } from '../helpers/cloud';
import { freePort } from '../helpers/ports';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

// The stand-in prints what the real cloudflared prints and forwards HTTP like the tunnel does.
const STANDIN = resolve(__dirname, '../fakes/cloudflared-bin/cloudflared');

let browser: Browser;
let server: RunningServer;
let fake: FakeGraph;
const api = <N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> => callServer(server, name, args);

beforeAll(async () => {
  fake = await startFakeGraph({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumberId: '1055',
    wabaId: '2001',
    templates,
    autoStatuses: false,
    appSubscribed: false,
  });
  browser = await launchChromium();
  server = await startServerProcess(tempDir());
  await api('setup.complete', {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  await connectCloudApi(api, fake.url, { webhookPort: await freePort() });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

describe('Ajustes → Recepción de estados y respuestas, in a browser', () => {
  it('turns on a quick tunnel, shows the address Meta accepted, proves reception, and warns when set to none', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-whatsapp').click();
    const card = page.getByTestId('settings-webhook');
    await card.waitFor();
    expect(await card.innerText()).toContain('Recepción de estados y respuestas');
    expect(await page.getByTestId('reception-registered').innerText()).toContain('Todavía no');

    await page.getByTestId('reception-mode-tunnel').check();
    await page.getByTestId('reception-tunnel-quick').check();
    await page.getByTestId('reception-cloudflared-path').fill(STANDIN);
    await page.getByTestId('reception-save').click();

    await expect.poll(() => page.getByTestId('reception-tunnel-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('up');
    await expect.poll(() => page.getByTestId('reception-address').innerText(), { timeout: 20_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    const address = await page.getByTestId('reception-address').innerText();
    await expect.poll(() => page.getByTestId('reception-registered').innerText(), { timeout: 20_000 }).toContain(address);
    expect(fake.overrides).toMatchObject({ phoneNumber: address, subscribed: true });

    await page.getByTestId('reception-test').click();
    await page.getByTestId('reception-test-result').waitFor();
    expect(await page.getByTestId('reception-test-result').getAttribute('data-ok')).toBe('true');
    await expect.poll(() => page.getByTestId('reception-last-webhook').innerText(), { timeout: 10_000 }).toMatch(/hace \d+ min/);
    expect(await page.getByTestId('reception-refused').innerText()).toBe('0');

    await page.getByTestId('reception-mode-none').check();
    expect(await page.getByTestId('reception-form').innerText()).toContain('los mensajes quedarán en «Enviado»');
    await page.getByTestId('reception-save').click();
    await expect.poll(() => page.getByTestId('reception-address').innerText(), { timeout: 10_000 }).toBe('—');
    expect(errors).toEqual([]);
  });
});
