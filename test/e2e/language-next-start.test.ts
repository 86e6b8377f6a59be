import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import type { AvisaCore } from '../../src/main/core/app';
import { launchChromium } from '../helpers/browser';
import { startCore } from '../helpers/core';
import { signInBrowsersTo, testAdmin } from '../helpers/people';
import { tempDir } from '../helpers/temp';
import { openDesktopWindow } from './desktop-window';

// On the desktop, date and time fields change language only when Avisa opens again (Chromium's locale is chosen at
// start): Ajustes → General says so next to the language, and only there; a browser keeps its own locale.
// Build the UI first: npx electron-vite build.

let browser: Browser;
let core: AvisaCore;
let server: Server;
let base: string;
let call: Awaited<ReturnType<typeof startCore>>['call'];

beforeAll(async () => {
  const started = await startCore(tempDir());
  core = started.core;
  call = started.call;
  await call('setup.complete', {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'demo',
  });
  server = await startHttpServer({ core, token: 'language-hint-token-0123456789', rendererDir: join(process.cwd(), 'out', 'renderer'), host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await signInBrowsersTo(core, base);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await core?.stop();
});

describe('the language setting', () => {
  it('in a browser (server mode) has no note about the next start', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${base}/#/settings/general`);
    await page.getByTestId('settings-language').waitFor();
    // The note would render with the select itself: once the select is there, its absence is settled.
    expect(await page.getByTestId('settings-language-next-start').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('on the desktop says the date fields follow at the next start, in the language shown', async () => {
    const people = await call('people.list', {});
    const admin = people.find((p) => p.documentNumber === testAdmin.documentNumber);
    if (!admin) throw new Error('the test administrator is missing');
    const page = await openDesktopWindow(browser, `${base}/#/settings/general`, core, { viewport: { width: 1366, height: 768 } });
    try {
      await page.getByTestId(`lock-person-${admin.id}`).click();
      await page.getByTestId('lock-secret').fill(testAdmin.secret);
      await page.getByTestId('lock-submit').click();

      const note = page.getByTestId('settings-language-next-start');
      await expect.poll(() => note.count(), { timeout: 15_000 }).toBe(1);
      expect(await note.innerText()).toBe('Las fechas y horas (día/mes) pasan al nuevo idioma la próxima vez que se abra Avisa.');

      await page.getByTestId('settings-language').selectOption('en');
      await page.getByTestId('settings-general-save').click();
      await expect.poll(async () => (await call('settings.get', {})).language, { timeout: 10_000 }).toBe('en');
      await expect
        .poll(() => note.innerText(), { timeout: 10_000 })
        .toBe('Date and time fields (day/month) switch to the new language the next time Avisa opens.');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
