import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeCheck } from '../helpers/axe';
import { useE2e } from './fixture';

// Ajustes sections that save through their own calls (the HL7 listener, the clinic's database, Personas, the signing
// options) say "Cambios sin guardar" and ask before leaving, like the sections of the shared settings form.
// In a browser against the built server (build the UI first: npx electron-vite build).

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica Unsaved',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'demo',
  },
});

async function openSettings(sub: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await e2e.openPage();
  await opened.page.getByTestId('nav-settings').click();
  await opened.page.getByTestId(`settings-tab-${sub}`).click();
  await opened.page.getByTestId(`settings-page-${sub}`).waitFor();
  return opened;
}

/** The leave question is on screen; "No" closes it and the page stays. */
async function askedAndStay(page: Page, sub: string): Promise<void> {
  await page.getByTestId('settings-leave').waitFor();
  expect(await page.getByTestId('settings-leave').innerText()).toContain('Hay cambios sin guardar en esta página');
  await page.getByTestId('settings-leave-no').click();
  await page.getByTestId('settings-leave').waitFor({ state: 'detached' });
  expect(await page.getByTestId(`settings-tab-${sub}`).getAttribute('aria-current')).toBe('page');
}

describe('Ajustes sections with their own save ask before leaving unsaved edits, in a browser', () => {
  it('HL7: a new port says "Cambios sin guardar"; another tab, the sidebar and "back" ask; "No" keeps it; saved, nobody asks', async () => {
    const { page, errors } = await openSettings('sources');
    const hl7 = page.getByTestId('settings-hl7');
    const savedPort = (await e2e.api('settings.get', {})).hl7.port;
    const newPort = savedPort === 2599 ? 2598 : 2599;
    expect(await hl7.getByTestId('unsaved-note').count()).toBe(0);

    await hl7.getByTestId('hl7-port').fill(String(newPort));
    await hl7.getByTestId('unsaved-note').waitFor();
    expect(await hl7.getByTestId('unsaved-note').innerText()).toBe('Cambios sin guardar');

    await page.getByTestId('settings-tab-email').click();
    await askedAndStay(page, 'sources');
    expect(await hl7.getByTestId('hl7-port').inputValue()).toBe(String(newPort));
    expect(await axeCheck(page, 'Ajustes → Fuentes: HL7 with unsaved edits')).toEqual([]);

    await page.getByTestId('nav-panel').click();
    await askedAndStay(page, 'sources');
    // Its own sub-page's link opens it afresh too, so it asks as well.
    await page.getByTestId('settings-tab-sources').click();
    await askedAndStay(page, 'sources');
    await page.goBack();
    await askedAndStay(page, 'sources');
    expect(new URL(page.url()).hash).toBe('#/settings/sources');
    expect(await hl7.getByTestId('hl7-port').inputValue()).toBe(String(newPort));

    // The question while it is asked is clean for axe too.
    await page.getByTestId('settings-tab-general').click();
    await page.getByTestId('settings-leave').waitFor();
    expect(await axeCheck(page, 'Ajustes → Fuentes: the leave question')).toEqual([]);
    await page.getByTestId('settings-leave-no').click();
    await page.getByTestId('settings-leave').waitFor({ state: 'detached' });

    // Saved: the note goes, and the same move goes through without a question.
    await hl7.getByTestId('hl7-save').click();
    await expect.poll(async () => (await e2e.api('settings.get', {})).hl7.port, { timeout: 10_000 }).toBe(newPort);
    await expect.poll(() => hl7.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('settings-tab-email').click();
    await page.getByTestId('settings-page-email').waitFor();
    expect(await page.getByTestId('settings-leave').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('clinic database: a host, a password and a site code typed are kept across its two tabs and asked about; "Salir sin guardar" saves nothing', async () => {
    // An agenda source saved but off: its tab shows the site codes.
    await e2e.api('sources.clinicDb.set', {
      kind: 'appointments',
      config: {
        enabled: false,
        kind: 'appointments',
        connection: { driver: 'sqlite', file: '/srv/clinica/agenda.sqlite' },
        query: 'SELECT id AS appointment_id FROM citas WHERE id > :cursor',
        cursorColumn: 'appointment_id',
        initialCursor: 0,
        keyPrefix: 'clinic-db',
        timeZone: 'America/Lima',
        statusMap: {},
        fileBaseDir: '',
        pollSeconds: 60,
        timeoutSeconds: 30,
        writeBack: null,
      },
    });
    const { page, errors } = await openSettings('sources');
    const db = page.getByTestId('settings-clinic-db');
    const results = db.getByTestId('db-form-results');
    await results.getByTestId('db-driver').selectOption('postgres');
    await results.getByTestId('db-host').fill('bd.clinica.local');
    await results.getByTestId('db-password').fill('clave-de-la-base');
    await results.getByTestId('unsaved-note').waitFor();

    // The appointments tab: the results tab says it holds unsaved edits; a site code typed there is one too.
    await db.getByTestId('db-kind-appointments').click();
    await expect.poll(() => db.getByTestId('db-kind-results').innerText(), { timeout: 10_000 }).toContain('Cambios sin guardar');
    expect(await db.getByTestId('db-kind-appointments').innerText()).not.toContain('Cambios sin guardar');
    await db.getByTestId('db-site-code-add').click();
    await db.getByTestId('db-site-code-0').fill('NORTE-2');
    await db.getByTestId('db-site-codes').getByTestId('unsaved-note').waitFor();

    // Back and forth: each tab finds what was typed in it.
    await db.getByTestId('db-kind-results').click();
    await expect.poll(() => db.getByTestId('db-kind-appointments').innerText(), { timeout: 10_000 }).toContain('Cambios sin guardar');
    await expect.poll(() => results.getByTestId('db-host').inputValue(), { timeout: 10_000 }).toBe('bd.clinica.local');
    expect(await results.getByTestId('db-password').inputValue()).toBe('clave-de-la-base');
    await db.getByTestId('db-kind-appointments').click();
    await expect.poll(() => db.getByTestId('db-site-code-0').inputValue(), { timeout: 10_000 }).toBe('NORTE-2');
    await db.getByTestId('db-kind-results').click();

    await page.getByTestId('settings-tab-people').click();
    await askedAndStay(page, 'sources');
    expect(await results.getByTestId('db-host').inputValue()).toBe('bd.clinica.local');
    expect(await axeCheck(page, 'Ajustes → Fuentes: clinic database with unsaved edits')).toEqual([]);

    await page.getByTestId('settings-tab-people').click();
    await page.getByTestId('settings-leave-yes').click();
    await page.getByTestId('settings-page-people').waitFor();
    const after = (await e2e.api('settings.get', {})).clinicDb;
    expect(after.results).toBeNull();
    expect(after.appointments?.siteCodes ?? []).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('Personas: a person\'s edited registry number and a half-typed new person ask before leaving; saved and emptied, nobody asks', async () => {
    const { page, errors } = await openSettings('people');
    const person = (await e2e.api('people.list', {}))[0]!;
    const editor = page.getByTestId(`person-${person.id}-details`);
    await page.getByTestId(`person-${person.id}-edit`).click();
    await editor.getByTestId(`person-${person.id}-registry`).fill('CMP 012345');
    await editor.getByTestId('unsaved-note').waitFor();

    await page.getByTestId('settings-tab-general').click();
    await askedAndStay(page, 'people');
    expect(await editor.getByTestId(`person-${person.id}-registry`).inputValue()).toBe('CMP 012345');
    expect(await axeCheck(page, 'Ajustes → Personas with unsaved edits')).toEqual([]);

    await editor.getByTestId(`person-${person.id}-save`).click();
    await expect.poll(async () => (await e2e.api('people.list', {})).find((p) => p.id === person.id)?.registryNumber, { timeout: 10_000 }).toBe(
      'CMP 012345',
    );
    await editor.waitFor({ state: 'detached' });

    // A new person's name typed: the same note and question; emptied again, the way is free.
    const form = page.getByTestId('people-new');
    await form.getByTestId('people-new-name').fill('Rosa Quispe');
    await form.getByTestId('unsaved-note').waitFor();
    await page.getByTestId('nav-panel').click();
    await askedAndStay(page, 'people');
    await form.getByTestId('people-new-name').fill('');
    await expect.poll(() => form.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('nav-panel').click();
    await page.locator('[data-testid="nav-panel"][aria-current="page"]').waitFor();
    expect(await page.getByTestId('settings-leave').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('Firma y documentos: the signing place typed asks before leaving; saved, nobody asks', async () => {
    const { page, errors } = await openSettings('documents');
    const cert = page.getByTestId('settings-certificate');
    const signing = cert.getByTestId('signing-location').locator('xpath=ancestor::form[1]');
    await cert.getByTestId('signing-location').fill('Arequipa');
    await signing.getByTestId('unsaved-note').waitFor();

    await page.getByTestId('settings-tab-sources').click();
    await askedAndStay(page, 'documents');
    expect(await cert.getByTestId('signing-location').inputValue()).toBe('Arequipa');

    await signing.getByTestId('signing-save').click();
    await expect.poll(async () => (await e2e.api('settings.get', {})).signing.location, { timeout: 10_000 }).toBe('Arequipa');
    await expect.poll(() => signing.getByTestId('unsaved-note').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('settings-page-sources').waitFor();
    expect(await page.getByTestId('settings-leave').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
