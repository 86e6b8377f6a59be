import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

// Citas and Ajustes → HL7 in a browser for a clinic with sites in two zones: the front desk form refuses an hour the
// clock skips at the chosen site, the HL7 location codes are saved from their table, and the CSV template downloads
// and reads back clean.

let page: Page;
const e2e = useE2e({
  clinic: {
    clinicName: 'Red Andina',
    sites: [
      { name: 'Sede Lima', country: 'PE', timeZone: 'America/Lima' },
      { name: 'Sede Santiago', country: 'CL', timeZone: 'America/Santiago' },
    ],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  },
});
const { api } = e2e;

beforeAll(async () => {
  await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  page = await (await e2e.browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(e2e.server.url);
});

/** The next day on which Santiago's clock jumps from 00:00 to 01:00 (the first Sunday of September). */
function santiagoSpringForward(): string {
  for (let day = DateTime.now().setZone('America/Santiago').startOf('day'); ; day = day.plus({ days: 1 })) {
    const wall = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: 0, minute: 30 }, { zone: 'America/Santiago' });
    if (wall.hour !== 0) return day.toISODate() ?? '';
  }
}

describe('appointments at sites in different zones, in a browser', () => {
  it('the front desk form refuses an hour the clock skips at the site, with the reason', async () => {
    const day = santiagoSpringForward();
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-new').click();
    await page.getByTestId('apt-patient-search').fill('45871236');
    await page.getByTestId('apt-patient-option').first().click();
    await page.getByTestId('apt-patient-picked').waitFor();
    await page.getByTestId('apt-site').selectOption({ label: 'Sede Santiago' });
    await page.getByTestId('apt-date').fill(day);
    await page.getByTestId('apt-time').fill('00:30');
    await page.getByTestId('apt-save').click();
    const error = page.getByTestId('apt-time-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('La hora 00:30 no existe');
    expect(await error.innerText()).toContain('America/Santiago');
    // Nothing was booked; 01:00 exists and is taken.
    const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
    expect((await api('appointments.day', { from, to: from + 3 * 86_400_000 })).appointments).toEqual([]);
    await page.getByTestId('apt-time').fill('01:00');
    await page.getByTestId('apt-save').click();
    await expect.poll(() => page.getByTestId('apt-form').count(), { timeout: 10_000 }).toBe(0);
    const [booked] = (await api('appointments.day', { from, to: from + 3 * 86_400_000 })).appointments;
    expect(DateTime.fromMillis(booked?.startsAt ?? 0, { zone: 'America/Santiago' }).toFormat('yyyy-MM-dd HH:mm')).toBe(`${day} 01:00`);
  }, 60_000);

  it('downloads a CSV template that reads back with every row ready', async () => {
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-import').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-template').click()]);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain('Tipo documento;Nº Documento;Nombres');
    await page.getByTestId('csv-file').setInputFiles({ name: 'plantilla.csv', mimeType: 'text/csv', buffer: bytes });
    await expect.poll(() => page.getByTestId('csv-summary').innerText(), { timeout: 10_000 }).toContain('2 filas listas para importar, 0 con problemas');
  }, 60_000);

  it('Ajustes → HL7 saves location codes with the site each one means', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('hl7-site-code-add').click();
    await page.getByTestId('hl7-site-code-0').fill('SUC-SUR');
    await page.getByTestId('hl7-site-code-site-0').selectOption({ label: 'Sede Santiago' });
    await page.getByTestId('hl7-site-codes-save').click();
    const santiago = (await api('sites.list', {})).find((s) => s.name === 'Sede Santiago');
    await expect.poll(async () => (await api('settings.get', {})).hl7.siteCodes, { timeout: 10_000 }).toEqual([
      { code: 'SUC-SUR', siteId: santiago?.id },
    ]);
  }, 60_000);
});

describe('the Panel of a clinic with sites in two zones', () => {
  it("says whose midnight cuts the days: the clinic's for the chain, the site's own for one site", async () => {
    await page.getByTestId('nav-panel').click();
    await expect.poll(async () => (await page.getByTestId('panel-zone').innerText()), { timeout: 10_000 }).toContain('Horario de Lima (America/Lima)');
    await page.getByTestId('panel-site').selectOption({ label: 'Sede Santiago' });
    await expect
      .poll(async () => (await page.getByTestId('panel-zone').innerText()), { timeout: 10_000 })
      .toContain('Horario de Santiago (America/Santiago): días según la medianoche de esta sede');
  }, 60_000);
});

describe('the wizard in a browser', () => {
  it('offers every Latin American country, Paraguay and Brazil included, with zones shown by city', async () => {
    const fresh = await startServerProcess(tempDir());
    try {
      const wizard = await e2e.browser.newPage();
      await wizard.goto(fresh.url);
      await wizard.getByTestId('wizard-clinic-name').fill('Clínica Guaraní');
      await wizard.getByTestId('wizard-next').click();
      const country = wizard.getByTestId('wizard-site-country').first();
      const names = await country.locator('option').allInnerTexts();
      for (const name of ['Paraguay', 'Brasil', 'Perú', 'México', 'Uruguay', 'Venezuela', 'Guatemala', 'República Dominicana']) {
        expect(names, name).toContain(name);
      }
      expect(names).not.toContain('España');
      await country.selectOption({ label: 'Paraguay' });
      const zone = wizard.getByTestId('wizard-site-zone').first();
      await expect.poll(() => zone.inputValue(), { timeout: 10_000 }).toBe('America/Asuncion');
      expect(await zone.locator('option:checked').innerText()).toBe('Asuncion');
      await country.selectOption({ label: 'Brasil' });
      await expect.poll(() => zone.inputValue(), { timeout: 10_000 }).toBe('America/Sao_Paulo');
      expect(await zone.locator('optgroup').first().locator('option').allInnerTexts()).toContain('Manaus');
      await wizard.close();
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
