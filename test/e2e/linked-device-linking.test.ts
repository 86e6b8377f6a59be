import { DisconnectReason } from '@whiskeysockets/baileys';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fakeBaileys } from '../fakes/baileys-socket';
import { useInProcessApp } from './in-process-app';

// Linking the clinic's phone when WhatsApp cannot be reached, and the phone's sending limits, in a browser against the
// app in server mode with Baileys played by the fake (build the UI first: npx electron-vite build).

const baileys = fakeBaileys();
const app = useInProcessApp({ channel: 'linked-device', coreOptions: { makeSocket: baileys.factory } });

async function leaveAndComeBack(page: Page): Promise<void> {
  await page.getByTestId('nav-panel').click();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-whatsapp').click();
  await page.getByTestId('ld-connection').waitFor();
}

describe('linking the clinic phone, in a browser', () => {
  it('says when the QR cannot be fetched, offers Reintentar, never hides "Vincular con código QR" for a phone never linked; a warning about the phone goes once it reconnects and leads to its section', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.base}/`);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-whatsapp').click();

    // Asked for a QR; before any code comes, the person goes elsewhere and back.
    await page.getByTestId('ld-link-qr').click();
    const first = await baileys.opened(1);
    await leaveAndComeBack(page);
    await page.getByTestId('ld-link-qr').waitFor();

    // No internet: Baileys' WebSocket fails as it does for getaddrinfo errors (408), before any QR.
    first.close(408, 'WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)');
    const failed = page.getByTestId('ld-qr-failed');
    await failed.waitFor();
    expect(await failed.innerText()).toMatch(/No se pudo obtener el código QR/);
    // Plain words in the note; the code only in the "Último cierre" details.
    expect(await failed.innerText()).not.toMatch(/408/);
    await expect.poll(() => page.getByTestId('ld-connection').innerText(), { timeout: 10_000 }).toMatch(/408/);
    expect(await page.getByTestId('ld-qr-retry').innerText()).toBe('Reintentar');
    expect(await page.getByTestId('ld-link-qr').isVisible()).toBe(true);

    // The core retries on its own (after a backoff of a second or two); between attempts the note stays.
    await expect.poll(() => baileys.sockets.length, { timeout: 15_000 }).toBe(2);
    expect(await failed.isVisible()).toBe(true);
    await leaveAndComeBack(page);
    // Drawn once the phone's state has loaded again; it must come back, not stay hidden.
    await page.getByTestId('ld-link-qr').waitFor({ state: 'visible', timeout: 10_000 });
    // That attempt fails too: the note is back, with its Reintentar.
    baileys.latest().close(408, 'WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)');
    await failed.waitFor();

    // Reintentar: a fresh attempt, and this time WhatsApp answers with a QR.
    const before = baileys.sockets.length;
    await page.getByTestId('ld-qr-retry').click();
    const third = await baileys.opened(before + 1);
    third.showQr();
    await page.getByTestId('ld-qr-image').waitFor();
    await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(0);
    // Leaving and coming back while the QR is up shows it again.
    await leaveAndComeBack(page);
    await page.getByTestId('ld-qr-image').waitFor();

    // Scanned: linked and connected.
    const paired = baileys.sockets.length;
    await baileys.latest().pair('51955500100', '70111222333');
    await expect.poll(() => baileys.sockets.length, { timeout: 10_000 }).toBe(paired + 1);
    baileys.latest().open();
    await expect.poll(() => page.getByTestId('ld-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open');

    // Another WhatsApp Web takes the session: a warning note. "Usar aquí" fixes it, and the note goes with the
    // problem (well before a warning's own time is up).
    baileys.latest().close(DisconnectReason.connectionReplaced);
    const warning = page.locator('[data-testid="toast"][data-kind="warn"]');
    await expect.poll(() => warning.count(), { timeout: 10_000 }).toBe(1);
    const taken = baileys.sockets.length;
    await page.getByTestId('ld-reconnect').click();
    await expect.poll(() => baileys.sockets.length, { timeout: 10_000 }).toBe(taken + 1);
    baileys.latest().open();
    await expect.poll(() => warning.count(), { timeout: 5_000 }).toBe(0);

    // Taken again while the person is on the Panel: the note's "Ir a Ajustes" opens the phone's section, focus on it.
    await page.getByTestId('nav-panel').click();
    baileys.latest().close(DisconnectReason.connectionReplaced);
    await expect.poll(() => warning.count(), { timeout: 10_000 }).toBe(1);
    expect(await warning.getByTestId('toast-action').innerText()).toBe('Ir a Ajustes');
    await warning.getByTestId('toast-action').click();
    await page.getByTestId('settings-linked-device').waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings/whatsapp/linked-device');
    await expect
      .poll(() =>
        page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.closest('[data-testid="settings-linked-device"]') !== null}`),
        { timeout: 10_000 },
      )
      .toBe('H3:true');
    expect(errors).toEqual([]);
  }, 120_000);

  it("saves the phone's warm-up and offline-reply limits; a field's error goes once it is fixed", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1024, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.base}/#/settings/whatsapp/linked-device`);
    const budget = page.getByTestId('ld-budget');
    await budget.waitFor();
    const before = (await app.call('settings.get', {})).linkedDevice;

    const days = budget.getByTestId('ld-budget-warmupDays');
    await days.fill('noventa');
    await budget.getByTestId('ld-budget-save').click();
    await expect.poll(() => days.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    expect(await budget.locator('.field-error').count()).toBe(1);
    await days.fill('10');
    await expect.poll(() => days.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => budget.locator('.field-error').count(), { timeout: 10_000 }).toBe(0);

    await budget.getByTestId('ld-budget-warmupStartCap').fill('20');
    await budget.getByTestId('ld-budget-offlineReplyMaxDays').fill('3');
    expect(await budget.getByTestId('unsaved-note').innerText()).toBe('Cambios sin guardar');
    await budget.getByTestId('ld-budget-save').click();
    await expect
      .poll(async () => (await app.call('settings.get', {})).linkedDevice, { timeout: 10_000 })
      .toEqual({ ...before, warmupDays: 10, warmupStartCap: 20, offlineReplyMaxDays: 3 });
    await expect.poll(() => budget.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
