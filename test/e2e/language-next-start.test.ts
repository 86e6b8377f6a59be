import { describe, expect, it } from 'vitest';
import { testAdmin } from '../helpers/people';
import { openDesktopWindow } from './desktop-window';
import { useInProcessApp } from './in-process-app';

// On the desktop, date and time fields change language only when Avisa opens again (Chromium's locale is chosen at
// start): Ajustes → General says so next to the language, and only there; a browser keeps its own locale.
// Build the UI first: npx electron-vite build.

const app = useInProcessApp({ channel: 'demo' });

describe('the language setting', () => {
  it('in a browser (server mode) has no note about the next start', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${app.base}/#/settings/general`);
    await page.getByTestId('settings-language').waitFor();
    // The note would render with the select itself: once the select is there, its absence is settled.
    expect(await page.getByTestId('settings-language-next-start').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('on the desktop says the date fields follow at the next start, in the language shown', async () => {
    const people = await app.call('people.list', {});
    const admin = people.find((p) => p.documentNumber === testAdmin.documentNumber);
    if (!admin) throw new Error('the test administrator is missing');
    const page = await openDesktopWindow(app.browser, `${app.base}/#/settings/general`, app.core, { viewport: { width: 1366, height: 768 } });
    try {
      await page.getByTestId(`lock-person-${admin.id}`).click();
      await page.getByTestId('lock-secret').fill(testAdmin.secret);
      await page.getByTestId('lock-submit').click();

      const note = page.getByTestId('settings-language-next-start');
      await expect.poll(() => note.count(), { timeout: 15_000 }).toBe(1);
      expect(await note.innerText()).toBe('Las fechas y horas (día/mes) pasan al nuevo idioma la próxima vez que se abra Avisa.');

      await page.getByTestId('settings-language').selectOption('en');
      await page.getByTestId('settings-general-save').click();
      await expect.poll(async () => (await app.call('settings.get', {})).language, { timeout: 10_000 }).toBe('en');
      await expect
        .poll(() => note.innerText(), { timeout: 10_000 })
        .toBe('Date and time fields (day/month) switch to the new language the next time Avisa opens.');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
