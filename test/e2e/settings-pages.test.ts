import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src/shared/settings';
import { recordToasts } from '../helpers/toasts';
import { useInProcessApp } from './in-process-app';

// Ajustes as a person finds it: sub-pages with their own address, one Save per section, a question before leaving
// with unsaved edits, banners that open the section that fixes them, and notes that never cover a form's buttons.
// In a browser against the app in server mode (build the UI first: npx electron-vite build).

const SUB_PAGES = ['general', 'whatsapp', 'reminders', 'documents', 'sources', 'email', 'people', 'backups', 'advanced'];
// The Cloud API chosen and nothing entered yet: the channel is "Sin configurar" and a banner says so.
const app = useInProcessApp({ channel: 'cloud-api' });

/** Everything but what a save of `fields` may change (and what the core stamps itself). */
function untouched(view: SettingsView, ...fields: (keyof SettingsView)[]): Partial<SettingsView> {
  const copy: Partial<SettingsView> = { ...view };
  for (const field of fields) delete copy[field];
  return copy;
}

async function openPage(size: { width: number; height: number }, fakeClock = false): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page's timers on a clock the test can pause (it runs as the real one until then).
  if (fakeClock) await page.clock.install();
  await page.goto(`${app.base}/`);
  await page.getByTestId('nav-settings').click();
  return { page, errors };
}

describe('Ajustes in sub-pages, in a browser', () => {
  it('finds every sub-page by its link, marks the current one, and keeps the place on reload and "back"', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await page.getByTestId('settings-page-general').waitFor();
    for (const sub of SUB_PAGES) {
      await page.getByTestId(`settings-tab-${sub}`).click();
      await page.getByTestId(`settings-page-${sub}`).waitFor();
      expect(await page.getByTestId(`settings-tab-${sub}`).getAttribute('aria-current')).toBe('page');
      expect(await page.locator('.settings-subnav [aria-current="page"]').count()).toBe(1);
      expect(new URL(page.url()).hash).toBe(`#/settings/${sub}`);
    }
    // The sections a person looks for are where the sub-page's name says.
    await page.getByTestId('settings-tab-whatsapp').click();
    for (const id of ['settings-channel', 'settings-sending', 'settings-cloud', 'settings-webhook', 'settings-linked-device']) {
      await page.getByTestId(id).waitFor();
    }
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('settings-folder').waitFor();

    // The links are reachable from the keyboard: focus one, Enter opens it.
    await page.getByTestId('settings-tab-email').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('settings-email').waitFor();

    await page.reload();
    await page.getByTestId('settings-email').waitFor();
    expect(await page.getByTestId('settings-tab-email').getAttribute('aria-current')).toBe('page');
    await page.goBack();
    await page.getByTestId('settings-folder').waitFor();
    expect(await page.getByTestId('settings-tab-sources').getAttribute('aria-current')).toBe('page');
    expect(errors).toEqual([]);
  }, 120_000);

  it('saves one section and leaves the others as they were; asks before leaving unsaved edits', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    const before = await app.call('settings.get', {});

    // General: the name edited, "Cambios sin guardar" until its own Save.
    const general = page.getByTestId('settings-general');
    await general.getByTestId('settings-clinic-name').fill('Clínica Prueba Norte');
    await general.getByTestId('unsaved-note').waitFor();
    expect(await general.getByTestId('unsaved-note').innerText()).toBe('Cambios sin guardar');
    await general.getByTestId('settings-general-save').click();
    await expect.poll(async () => (await app.call('settings.get', {})).clinicName, { timeout: 10_000 }).toBe('Clínica Prueba Norte');
    await expect.poll(() => general.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);
    expect(untouched(await app.call('settings.get', {}), 'clinicName')).toEqual(untouched(before, 'clinicName'));

    // Envío: two fields edited, then the person tries to leave for Correo.
    await page.getByTestId('settings-tab-whatsapp').click();
    const sending = page.getByTestId('settings-sending');
    await sending.getByTestId('settings-daily-cap').fill('40');
    await sending.getByTestId('settings-auto-resend').check();
    await sending.getByTestId('unsaved-note').waitFor();
    await page.getByTestId('settings-tab-email').click();
    await page.getByTestId('settings-leave').waitFor();
    expect(await page.getByTestId('settings-tab-whatsapp').getAttribute('aria-current')).toBe('page');
    // "Cancelar": the edits are still there.
    await page.getByTestId('settings-leave-no').click();
    expect(await sending.getByTestId('settings-daily-cap').inputValue()).toBe('40');
    // The sidebar asks too, and so does the browser's "back".
    await page.getByTestId('nav-panel').click();
    await page.getByTestId('settings-leave').waitFor();
    await page.getByTestId('settings-leave-no').click();
    expect(await page.getByTestId('settings-page-whatsapp').count()).toBe(1);
    await page.goBack();
    await page.getByTestId('settings-leave').waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings/whatsapp');
    await page.getByTestId('settings-leave-no').click();
    expect(await sending.getByTestId('settings-daily-cap').inputValue()).toBe('40');

    // Saved, the same move goes through without a question, and only the sending fields changed.
    const beforeSending = await app.call('settings.get', {});
    await sending.getByTestId('settings-sending-save').click();
    await expect.poll(async () => (await app.call('settings.get', {})).dailyCap, { timeout: 10_000 }).toBe(40);
    const after = await app.call('settings.get', {});
    expect(after.autoResendUnknown).toBe(true);
    expect(untouched(after, 'dailyCap', 'autoResendUnknown', 'unknownAfterMinutes')).toEqual(
      untouched(beforeSending, 'dailyCap', 'autoResendUnknown', 'unknownAfterMinutes'),
    );

    // Edited again and left for good: "Salir sin guardar" goes, and nothing of it is saved.
    await sending.getByTestId('settings-daily-cap').fill('75');
    await page.getByTestId('settings-tab-email').click();
    await page.getByTestId('settings-leave-yes').click();
    await page.getByTestId('settings-email').waitFor();
    expect((await app.call('settings.get', {})).dailyCap).toBe(40);
    expect(errors).toEqual([]);
  }, 120_000);

  it('"Ir a Ajustes" on the banner lands on the section that fixes it, focus on its heading; header and Envío agree', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await page.getByTestId('nav-panel').click();
    const banner = page.getByTestId('channel-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-state')).toBe('not_configured');
    await page.getByTestId('channel-banner-fix').click();

    await page.getByTestId('settings-cloud').waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings/whatsapp/cloud-api');
    expect(await page.getByTestId('settings-tab-whatsapp').getAttribute('aria-current')).toBe('page');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const active = document.activeElement;
          return `${active?.tagName}:${active?.closest('[data-testid]')?.getAttribute('data-testid')}`;
        }),
        { timeout: 10_000 },
      )
      .toBe('H3:settings-cloud');

    // The header and the sending section read the same status.
    const header = page.getByTestId('header-channel-state');
    const sending = page.getByTestId('sending-channel-state');
    expect(await header.getAttribute('data-state')).toBe('not_configured');
    expect(await sending.getAttribute('data-state')).toBe('not_configured');
    expect(await sending.innerText()).toBe(await header.innerText());
    // Nothing in the section says it sends normally while the channel is not set up.
    expect(await page.getByTestId('settings-sending').innerText()).not.toMatch(/Enviando con normalidad/);

    // The fix, right there: the number's id, then the token. Both chips turn ready together; the banner goes.
    const cloud = page.getByTestId('settings-cloud');
    await cloud.getByTestId('cloud-field-phoneNumberId').fill('1055');
    await cloud.getByTestId('cloud-save').click();
    await expect.poll(async () => (await app.call('settings.get', {})).cloudApi.phoneNumberId, { timeout: 10_000 }).toBe('1055');
    await cloud.getByTestId('secret-cloudApi.accessToken').fill('EAA-token-de-prueba');
    await cloud.getByTestId('secret-save-cloudApi.accessToken').click();
    await expect.poll(() => header.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => sending.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    expect(await sending.innerText()).toBe(await header.innerText());
    await expect.poll(() => page.getByTestId('settings-sending').innerText(), { timeout: 10_000 }).toMatch(/Enviando con normalidad/);
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  for (const size of [
    { width: 1366, height: 768 },
    { width: 1024, height: 700 },
  ]) {
    it(`a note never covers a form's buttons at ${size.width}×${size.height}, and goes on navigation`, async () => {
      const { page, errors } = await openPage(size, true);
      await page.getByTestId('settings-tab-whatsapp').click();
      const sending = page.getByTestId('settings-sending');
      await sending.waitFor();
      // A "done" note closes itself after 4 s, and a busy machine can take longer than that to get to the measuring:
      // the page's clock stands still while the notes are made and measured.
      await page.clock.pauseAt(Date.now() + 1_000);
      // Two notes at once: a save's "Cambios guardados." on top of another.
      for (const cap of ['120', '130']) {
        await sending.getByTestId('settings-daily-cap').fill(cap);
        await sending.getByTestId('settings-sending-save').click();
        await expect.poll(async () => (await app.call('settings.get', {})).dailyCap, { timeout: 10_000 }).toBe(Number(cap));
      }
      await page.getByTestId('toast').first().waitFor();

      // Every button of every form, at every scroll position of this long page, against every note.
      const overlaps = await page.evaluate(() => {
        const found: string[] = [];
        const step = 80;
        for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
          window.scrollTo(0, y);
          const notes = [...document.querySelectorAll('[data-testid="toast"]')].map((n) => n.getBoundingClientRect());
          const buttons = [...document.querySelectorAll('main form button, main .form-actions button')].filter(
            (b) => (b as HTMLElement).offsetParent !== null,
          );
          for (const b of buttons) {
            const r = b.getBoundingClientRect();
            if (r.bottom < 0 || r.top > window.innerHeight) continue;
            for (const n of notes) {
              const apart = r.right <= n.left || n.right <= r.left || r.bottom <= n.top || n.bottom <= r.top;
              if (!apart) found.push(`${b.textContent ?? ''} at scroll ${y}`);
            }
          }
        }
        return { found, notes: document.querySelectorAll('[data-testid="toast"]').length };
      });
      expect(overlaps.notes).toBeGreaterThan(0);
      expect(overlaps.found).toEqual([]);
      await page.clock.resume();

      // Notes are about the page they came from: another sub-page closes them.
      await page.getByTestId('settings-tab-email').click();
      await page.getByTestId('settings-email').waitFor();
      expect(await page.getByTestId('toast').count()).toBe(0);
      expect(errors).toEqual([]);
    }, 120_000);
  }

  it('two sections saved at once both stay saved on screen, whichever answer comes back last', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await page.getByTestId('settings-tab-whatsapp').click();
    const sending = page.getByTestId('settings-sending');
    const cloud = page.getByTestId('settings-cloud');
    await sending.waitFor();
    const before = await app.call('settings.get', {});
    const phoneNumberId = before.cloudApi.phoneNumberId === '2077' ? '2078' : '2077';
    const dailyCap = before.dailyCap === 55 ? 56 : 55;

    // The first save is answered by the core at once, but its answer reaches the page only after the second's has
    // been shown: it comes back last, and it is the older of the two.
    let releaseFirst = (): void => undefined;
    const secondShown = new Promise<void>((resolve) => (releaseFirst = resolve));
    let first = true;
    await page.route('**/api/call/settings.update', async (route) => {
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch();
      await secondShown;
      await route.fulfill({ response });
    });
    const toasts = await recordToasts(page);
    const saved = async () => (await toasts.texts()).filter((text) => text.startsWith('Cambios guardados.')).length;

    await sending.getByTestId('settings-daily-cap').fill(String(dailyCap));
    await sending.getByTestId('settings-sending-save').click();
    await expect.poll(async () => (await app.call('settings.get', {})).dailyCap, { timeout: 10_000 }).toBe(dailyCap);
    await cloud.getByTestId('cloud-field-phoneNumberId').fill(phoneNumberId);
    await cloud.getByTestId('cloud-save').click();
    await expect.poll(saved, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => cloud.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);

    releaseFirst();
    // The older answer has been handled once its "saved" note is up (the two come from the same step).
    await expect.poll(saved, { timeout: 10_000 }).toBe(2);
    expect(await cloud.getByTestId('unsaved-note').count()).toBe(0);
    expect(await sending.getByTestId('unsaved-note').count()).toBe(0);
    expect(await cloud.getByTestId('cloud-field-phoneNumberId').inputValue()).toBe(phoneNumberId);
    expect(await app.call('settings.get', {})).toMatchObject({ dailyCap, cloudApi: { phoneNumberId } });
    expect(errors).toEqual([]);
  }, 120_000);

  it('a key saved while an older save is still on its way stays "configurado" when that answer comes back', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await page.getByTestId('settings-tab-whatsapp').click();
    const sending = page.getByTestId('settings-sending');
    await sending.waitFor();
    const before = await app.call('settings.get', {});
    const name = (['cloudApi.accessToken', 'cloudApi.appSecret', 'cloudApi.verifyToken'] as const).find((n) => !before.secrets[n]);
    expect(name).toBeDefined();
    const chip = page.locator('form.secret-row').filter({ has: page.getByTestId(`secret-${name}`) }).locator('.chip');
    expect(await chip.textContent()).toBe('no configurado');

    // The limit's save is answered by the core at once, but its answer (no key yet) reaches the page after the key's.
    let release = (): void => undefined;
    const keyShown = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/call/settings.update', async (route) => {
      const response = await route.fetch();
      await keyShown;
      await route.fulfill({ response });
    });
    const toasts = await recordToasts(page);
    const saved = async () => (await toasts.texts()).filter((text) => text.startsWith('Cambios guardados.')).length;
    const dailyCap = before.dailyCap === 57 ? 58 : 57;
    await sending.getByTestId('settings-daily-cap').fill(String(dailyCap));
    await sending.getByTestId('settings-sending-save').click();
    await expect.poll(async () => (await app.call('settings.get', {})).dailyCap, { timeout: 10_000 }).toBe(dailyCap);
    await page.getByTestId(`secret-${name}`).fill('clave-de-prueba');
    await page.getByTestId(`secret-save-${name}`).click();
    await expect.poll(() => chip.textContent(), { timeout: 10_000 }).toBe('configurado');

    release();
    await expect.poll(saved, { timeout: 10_000 }).toBe(2);
    expect(await chip.textContent()).toBe('configurado');
    expect(errors).toEqual([]);
  }, 120_000);
});
