import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeCheck, fitsWidth, type AxeFinding } from '../helpers/axe';
import { launchChromium } from '../helpers/browser';
import { animationsSettled } from '../helpers/page-settled';
import { startCore } from '../helpers/core';
import { signInTestAdmin, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { openDesktopWindow } from './desktop-window';
import { testDoctor } from '../helpers/people';

/** Screenshots to look at by eye; the folder is ignored by git. */
const shots = join(process.cwd(), 'test-artifacts', 'a11y');
mkdirSync(shots, { recursive: true });

const PAGES = ['panel', 'messages', 'appointments', 'results', 'patients', 'campaigns', 'settings'] as const;

let browser: Browser;
let server: RunningServer;
let page: Page;
const findings: AxeFinding[] = [];

async function check(where: string, impacts?: readonly string[]): Promise<void> {
  // Let the first data load and any transition settle before looking.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await animationsSettled(page);
  findings.push(...(await axeCheck(page, where, impacts)));
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

const report = (list: AxeFinding[]): string =>
  list.map((f) => `${f.where}: ${f.rule} (${f.impact}) ${f.targets.join(' | ')} — ${f.summary}`).join('\n');

beforeAll(async () => {
  browser = await launchChromium();
  server = await startServerProcess(tempDir(), {}, { signIn: false });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('every page is usable with a keyboard and a screen reader (axe-core, serious and critical)', () => {
  it('sign-in screens: the first administrator and a person signing in', async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(server.url);
    await page.getByTestId('first-admin-name').waitFor();
    await check('first administrator');
    await shot('login-first-admin-1366');
    await page.close();

    await signInTestAdmin(server);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.clearCookies();
    page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('login-document').waitFor();
    await check('sign in');
    await shot('login-sign-in-1366');
    await context.close();
    expect(report(findings.filter((f) => f.where.startsWith('first') || f.where === 'sign in'))).toBe('');
  }, 60_000);

  it('the desktop lock screen: its people, a person chosen, a wrong PIN', async () => {
    const desktop = await startCore();
    try {
      const admin = await desktop.call('people.create', {
        name: 'Ana Torres',
        documentNumber: '40000001',
        roles: ['admin'],
        secretKind: 'password',
        secret: 'clave-de-prueba',
      });
      const doctor = await desktop.call('people.create', testDoctor);
      page = await openDesktopWindow(browser, server.url, desktop.core, { viewport: { width: 1366, height: 768 } });
      await page.getByTestId(`lock-person-${admin.id}`).waitFor();
      // The whole window is this screen: minor and moderate findings count too (a main landmark, nothing outside it).
      const all = ['minor', 'moderate', 'serious', 'critical'];
      await check('lock screen', all);
      await shot('lock-screen-1366');
      await page.getByTestId(`lock-person-${doctor.id}`).click();
      await page.getByTestId('lock-secret').waitFor();
      await expect.poll(() => page.getByTestId(`lock-person-${doctor.id}`).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
      await check('lock screen: person chosen', all);
      await page.getByTestId('lock-secret').fill('000000');
      await page.getByTestId('lock-submit').click();
      await page.getByRole('alert').waitFor();
      // A wrong PIN is typed again from an empty field that has the focus.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe('lock-secret');
      await expect.poll(() => page.getByTestId('lock-secret').inputValue(), { timeout: 10_000 }).toBe('');
      await check('lock screen: wrong PIN', all);
      await shot('lock-screen-wrong-pin-1366');
      await page.context().close();
    } finally {
      await desktop.core.stop();
    }
    expect(report(findings.filter((f) => f.where.startsWith('lock screen')))).toBe('');
  }, 60_000);

  it('wizard: each step is checked, and focus goes to the new step heading', async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(server.url);
    await page.getByTestId('wizard-clinic-name').waitFor();
    await check('wizard: clinic');
    await shot('wizard-1-clinic-1366');
    await page.getByTestId('wizard-clinic-name').fill('Clínica Norte');
    for (const [index, name] of (['sites', 'services', 'channel'] as const).entries()) {
      await page.getByTestId('wizard-next').click();
      await page.getByTestId(`wizard-step-${name}`).waitFor();
      // A person using a screen reader hears where they are: the new step's heading has the focus.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe(`wizard-step-${name}`);
      await check(`wizard: ${name}`);
      await shot(`wizard-${index + 2}-${name}-1366`);
    }
    // An empty choice shows its error; the check covers the error state too.
    await page.getByTestId('wizard-finish').click();
    await check('wizard: channel with error');
    await page.getByTestId('channel-demo').click();
    await page.getByTestId('wizard-finish').click();
    await page.getByTestId('nav-panel').waitFor({ timeout: 30_000 });
    expect(report(findings.filter((f) => f.where.startsWith('wizard')))).toBe('');
  }, 90_000);

  it('every page and its main states, with screenshots at 1366×768 and 1024×700', async () => {
    // The demo fills the lists while the pages are visited.
    await page.waitForTimeout(4000);
    const before = findings.length;
    const overflows: string[] = [];
    for (const width of [1366, 1024] as const) {
      await page.setViewportSize({ width, height: width === 1366 ? 768 : 700 });
      for (const id of PAGES) {
        await page.getByTestId(`nav-${id}`).click();
        await page.locator('main h2').first().waitFor();
        await check(`${id} at ${width}`);
        await shot(`${id}-${width}`);
        const size = await fitsWidth(page);
        if (size.scrollWidth > size.innerWidth) overflows.push(`${id} at ${width} px: ${size.scrollWidth} wide`);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });

    // Mensajes: the detail panel.
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('message-row').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('message-row').first().click();
    await page.getByTestId('message-detail').waitFor();
    await page.getByTestId('message-timeline').or(page.getByText('Sin cambios')).first().waitFor().catch(() => undefined);
    await check('messages: detail');
    await shot('messages-detail-1366');
    await page.getByTestId('drawer-close').click();
    // Mensajes: the new message form.
    await page.getByTestId('new-message').click();
    await check('messages: new message');
    await shot('messages-new-1366');

    // Resultados: every tab.
    await page.getByTestId('nav-results').click();
    for (const tab of ['incoming', 'review', 'signed', 'sent', 'failed', 'dismissed']) {
      await page.getByTestId(`results-tab-${tab}`).click();
      await check(`results: ${tab}`);
      await shot(`results-${tab}-1366`);
    }
    await page.getByTestId('new-document').click();
    await check('results: new document');

    // Citas: the new appointment form and the CSV import.
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-new').click();
    await check('appointments: new appointment');
    await shot('appointments-new-1366');

    // Pacientes: a patient's history, edit and evidence export.
    await page.getByTestId('nav-patients').click();
    await page.getByTestId('patient-row').first().waitFor();
    await page.getByTestId('patient-consent-history').first().click();
    await check('patients: consent history');
    await page.getByTestId('patient-edit').first().click();
    await check('patients: edit');
    await shot('patients-edit-1366');
    await page.getByTestId('patient-export').first().click();
    await check('patients: evidence export');

    // Campañas: the new campaign form.
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await check('campaigns: new campaign');
    await shot('campaigns-new-1366');

    expect(report(findings.slice(before))).toBe('');
    expect(overflows).toEqual([]);
  }, 240_000);

  it('focus follows what opens and comes back when it closes; a skip link leads past the sections', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const focused = (): Promise<string | null> =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el ? (el.getAttribute('data-testid') ?? el.tagName.toLowerCase()) : null;
      });

    // The skip link is the first stop of the keyboard and lands in the page's content.
    await page.reload();
    await page.getByTestId('nav-panel').waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-link');
    await expect.poll(() => page.getByTestId('skip-link').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('skip-link').innerText()).toBe('Saltar al contenido');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('content');

    // Mensajes: a row opened with the keyboard moves the focus into the panel, Escape brings it back to the row.
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('message-row').first().waitFor();
    const rowId = await page.getByTestId('message-row').first().getAttribute('data-id');
    // The demo keeps adding messages: the row is held by its id, not by its place in a list that grows.
    const row = page.locator(`[data-testid="message-row"][data-id="${rowId}"]`);
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('message-detail').waitFor();
    await expect.poll(focused, { timeout: 10_000 }).toBe('drawer-title');
    await page.keyboard.press('Escape');
    await page.getByTestId('message-detail').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-id')), { timeout: 10_000 }).toBe(rowId);

    // A form opened from a button puts the focus on its first field, and gives it back to that button on close.
    await page.getByTestId('new-message').click();
    await page.getByTestId('new-message-form').waitFor();
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="new-message-form"]') && document.activeElement?.tagName), { timeout: 10_000 })
      .toMatch(/INPUT|SELECT|TEXTAREA/);
    await page.getByTestId('new-message-form').getByRole('button', { name: 'Cancelar' }).click();
    await expect.poll(focused, { timeout: 10_000 }).toBe('new-message');

    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-new').click();
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="apt-form"]') && document.activeElement?.tagName), { timeout: 10_000 })
      .toMatch(/INPUT|SELECT|TEXTAREA/);
  }, 60_000);

  it('folds the sections behind a menu button below 900 px; Panel and Mensajes fit a 390 px phone', async () => {
    await page.setViewportSize({ width: 820, height: 700 });
    const menu = page.getByTestId('menu-button');
    await menu.waitFor();
    expect(await page.getByTestId('nav-panel').isVisible()).toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    // Keyboard only: open, choose a section, and the menu folds again.
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('nav-messages').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('message-row').first().waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('nav-panel').isVisible()).toBe(false);
    // Escape folds it too, and the focus goes back to the button.
    await menu.click();
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-button');
    await check('menu folded at 820');
    await shot('messages-820');
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await page.getByTestId('nav-panel').isVisible()).toBe(true);
    expect(await menu.isVisible()).toBe(false);

    const overflows: string[] = [];
    await page.setViewportSize({ width: 390, height: 844 });
    for (const id of ['panel', 'messages'] as const) {
      await menu.click();
      await page.getByTestId(`nav-${id}`).click();
      await page.locator('main h2').first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await animationsSettled(page);
      const size = await fitsWidth(page);
      if (size.scrollWidth > size.innerWidth) overflows.push(`${id} at 390 px: ${size.scrollWidth} wide`);
      await check(`${id} at 390`);
      await shot(`${id}-390`);
    }
    // Mensajes' actions stay within reach: the new-message button and a row's detail with its buttons.
    expect(await page.getByTestId('new-message').isVisible()).toBe(true);
    const box = await page.getByTestId('new-message').boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    await page.getByTestId('message-row').first().click();
    await page.getByTestId('message-detail').waitFor();
    const drawer = await page.getByTestId('message-detail').boundingBox();
    expect(drawer && drawer.x).toBeGreaterThanOrEqual(0);
    expect(drawer && drawer.x + drawer.width).toBeLessThanOrEqual(390);
    await check('messages detail at 390');
    await shot('messages-detail-390');
    await page.getByTestId('drawer-close').click();
    expect(overflows).toEqual([]);
    expect(report(findings.filter((f) => /390|820/.test(f.where)))).toBe('');
  }, 90_000);
});
