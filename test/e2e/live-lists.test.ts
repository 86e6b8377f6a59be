import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { oneSiteClinic } from '../helpers/fixtures';
import { limaDayOf } from '../helpers/lima-day';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

// Lists follow the changes that concern them, without polling and without a reload: a patient added from another
// workstation appears in Pacientes, a PDF dropped in the shared folder is counted in "Por revisar", a message sent or
// an appointment booked by a script appears in Mensajes or Citas. A list at rest
// asks the core nothing. Wide tables scroll inside their card.

const e2e = useE2e({ clinic: oneSiteClinic() });
const { api } = e2e;

const calls = (urls: string[], name: string) => urls.filter((u) => u.endsWith(`/api/call/${name}`)).length;

describe('lists that follow their own changes (browser, server mode)', () => {
  it('Pacientes shows a patient added elsewhere, with "Sin registrar" for a consent nobody recorded', async () => {
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-patients').click();
    await page.getByText('No encontramos pacientes.').waitFor();

    await api('patients.create', { firstNames: 'Luis', lastNames: 'Quispe Rojas', documentType: 'DNI', documentNumber: '40112233', phone: '912 345 678' });
    const row = page.getByTestId('patient-row').filter({ hasText: 'Quispe Rojas' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toContain('Sin registrar');
    expect(errors).toEqual([]);
  }, 60_000);

  it('a list loaded while the event stream was still connecting shows what changed in between', async () => {
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } }, false);
    // The stream connects only after the change: its event never reaches this page, the list must load again anyway.
    let connect = (): void => undefined;
    const held = new Promise<void>((resolve) => (connect = resolve));
    await page.route('**/api/events', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(e2e.server.url);
    await page.getByTestId('nav-patients').click();
    // Loaded: its rows, or the line saying there are none.
    await page.getByTestId('patient-row').first().or(page.getByText('No encontramos pacientes.')).waitFor();

    await api('patients.create', { firstNames: 'Eva', lastNames: 'Condori Paz', documentType: 'DNI', documentNumber: '40556677', phone: '912 345 600' });
    connect();
    const row = page.getByTestId('patient-row').filter({ hasText: 'Condori Paz' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Resultados counts a PDF dropped in the shared folder, and asks nothing while nothing changes', async () => {
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } }, false);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    // Lists shown before the event stream opens load once more when it does: the page at rest starts after that.
    const streamOpen = page.waitForResponse((r) => r.url().endsWith('/api/events'));
    await page.goto(e2e.server.url);
    await streamOpen;
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-incoming').click();
    await expect.poll(() => calls(requested, 'results.list'), { timeout: 10_000 }).toBeGreaterThan(0);

    // At rest for longer than the old 3-second polling: not one more question to the core.
    const before = requested.length;
    await page.waitForTimeout(7_000);
    expect(requested.slice(before).filter((u) => /results\.(list|review|undelivered)$/.test(u))).toEqual([]);

    // Nobody has this document number: the result waits for review, and the tab says so without a reload.
    writeFileSync(join(folder, '40999999_ACC7_resultado.pdf'), await samplePdf());
    await expect.poll(() => page.getByTestId('results-tab-review').innerText(), { timeout: 20_000 }).toMatch(/1/);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Mensajes shows a message sent through the API, without a reload', async () => {
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('messages-state').waitFor();
    const patient = await api('patients.create', {
      firstNames: 'Marta',
      lastNames: 'Ccori Huaman',
      documentType: 'DNI',
      documentNumber: '40223344',
      phone: '912 000 111',
      consent: true,
    });
    const row = page.getByTestId('message-row').filter({ hasText: 'Ccori Huaman' });
    expect(await row.count()).toBe(0);

    await api('messages.send', { patientId: patient.id, mode: 'text', text: 'Su resultado está listo.' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Citas shows an appointment booked through the API, without a reload', async () => {
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-appointments').click();
    await page.getByRole('heading', { name: 'Citas' }).waitFor();
    const [site] = await api('sites.list', {});
    const [service] = await api('services.list', {});
    const patient = await api('patients.create', {
      firstNames: 'Julio',
      lastNames: 'Apaza Vilca',
      documentType: 'DNI',
      documentNumber: '40334455',
      phone: '912 000 222',
      consent: true,
    });
    const row = page.getByTestId('apt-row').filter({ hasText: 'Apaza Vilca' });
    expect(await row.count()).toBe(0);

    // A few minutes away, on the day the page shows (today at the clinic, in Lima): before now in the last minutes of
    // Lima's day, so it never lands on tomorrow.
    const now = Date.now();
    const startsAt = limaDayOf(now + 3 * 60_000) === limaDayOf(now) ? now + 3 * 60_000 : now - 3 * 60_000;
    await api('appointments.create', { patientId: patient.id, siteId: site?.id ?? 0, serviceId: service?.id ?? 0, startsAt });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a wide table scrolls inside its card on a narrow window', async () => {
    const { page } = await e2e.openPage({ viewport: { width: 600, height: 800 } });
    // Below 900 px the sections fold behind the menu button.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-patients').click();
    await page.getByTestId('patient-row').first().waitFor();
    const box = page.locator('.card .table-scroll').first();
    expect(await box.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
    const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroll).toBeGreaterThan(client);
  }, 60_000);
});
