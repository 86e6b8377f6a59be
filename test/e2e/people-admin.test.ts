import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import type { ArgsOf, HandlerName } from '../../src/shared/api';

let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser of its own, signed in through the sign-in screen as the given person. */
async function signedInAs(documentNumber: string, secret: string): Promise<Page> {
  const context = await browser.newContext();
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('login-document').fill(documentNumber);
  await page.getByTestId('login-secret').fill(secret);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('signed-in-person').waitFor();
  return page;
}

/** Ajustes → Personas, whether Ajustes is one page or has sub-pages. */
async function openPeople(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-people');
  const subPage = page.getByRole('link', { name: /^Personas$/ }).or(page.getByRole('tab', { name: /^Personas$/ }));
  await section.or(subPage).first().waitFor();
  if (!(await section.isVisible())) await subPage.first().click();
  await section.waitFor();
}

async function startCampaign(page: Page): Promise<void> {
  await page.getByTestId('nav-campaigns').click();
  await page.getByTestId('campaign-new').click();
  await page.getByTestId('campaign-name').fill('Vacunación de invierno');
  await page.getByTestId('campaign-text').fill('Hola {nombre}, ya puede vacunarse contra la influenza.');
  await expect.poll(() => page.getByTestId('campaign-reach').innerText(), { timeout: 10_000 }).toMatch(/Llega a 1 de \d+/);
}

describe('Ajustes → Personas in a browser (server mode)', () => {
  it('an administrator corrects a registry number, resets a PIN and lets Recepción launch campaigns', async () => {
    const dataDir = tempDir();
    server = await startServerProcess(dataDir);
    const api = <N extends HandlerName>(name: N, args: ArgsOf<N>) => callServer(server, name, args);
    // The demo brings its front desk (Carmen Rojas, PIN 111111) and its doctor (Dra. Lucía Paredes).
    await api('setup.complete', {
      clinicName: 'Clínica San José',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    });
    // A clinic of one opted-in patient, so the campaign's reach is known.
    const db = new Database(join(dataDir, 'avisa.sqlite'));
    db.prepare(`UPDATE patients SET consent_status = 'unknown'`).run();
    db.close();
    await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani Torres',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    const people = await api('people.list', {});
    const carmen = people.find((p) => p.name === 'Carmen Rojas')!;
    const lucia = people.find((p) => p.name === 'Dra. Lucía Paredes')!;

    // ---- the administrator (the test's signed-in browser): a registry number and a PIN ----
    const admin = await browser.newPage();
    await admin.goto(server.url);
    await admin.getByTestId('signed-in-person').waitFor();
    await openPeople(admin);
    await admin.getByTestId(`person-${lucia.id}-edit`).click();
    await admin.getByTestId(`person-${lucia.id}-registry`).fill('CMP 099999');
    await admin.getByTestId(`person-${lucia.id}-save`).click();
    await expect.poll(() => admin.getByTestId(`person-${lucia.id}-registry-shown`).innerText(), { timeout: 10_000 }).toBe('CMP 099999');
    await expect.poll(async () => (await api('people.list', {})).find((p) => p.id === lucia.id)?.registryNumber, { timeout: 10_000 }).toBe('CMP 099999');

    await admin.getByTestId(`person-${carmen.id}-edit`).click();
    await admin.getByTestId(`person-${carmen.id}-reset-secret`).fill('333333');
    await admin.getByTestId(`person-${carmen.id}-reset-again`).fill('333334');
    // Two different secrets: said beside the field, and nothing is sent.
    await admin.getByText('Las dos claves no coinciden.').waitFor();
    expect(await admin.getByTestId(`person-${carmen.id}-reset-save`).isDisabled()).toBe(true);
    await admin.getByTestId(`person-${carmen.id}-reset-again`).fill('333333');
    await admin.getByTestId(`person-${carmen.id}-reset-save`).click();
    await admin.getByTestId(`person-${carmen.id}-reset`).waitFor({ state: 'detached' });

    // ---- the receptionist, with her new PIN: she may prepare a campaign but not launch it, and is told why ----
    const desk = await signedInAs(carmen.documentNumber, '333333');
    expect(await desk.getByTestId('signed-in-person').innerText()).toBe('Carmen Rojas');
    await startCampaign(desk);
    await expect.poll(() => desk.getByTestId('campaign-launch-reason').innerText(), { timeout: 10_000 }).toMatch(/Lanzar una campaña requiere Administración/);
    expect(await desk.getByTestId('campaign-send').isDisabled()).toBe(true);

    // ---- the administrator allows it ----
    await admin.getByTestId('people-reception-campaigns').check();
    await admin.getByTestId('people-rules-save').click();
    await expect.poll(async () => (await api('settings.get', {})).people.receptionLaunchesCampaigns, { timeout: 10_000 }).toBe(true);

    // ---- she launches it; the list says she created it ----
    await desk.reload();
    await desk.getByTestId('signed-in-person').waitFor();
    await startCampaign(desk);
    expect(await desk.getByTestId('campaign-launch-reason').count()).toBe(0);
    await desk.getByTestId('campaign-send').click();
    await desk.getByTestId('campaign-confirm-yes').click();
    // The click only starts the launch: the campaign exists once the core has answered it.
    await expect.poll(async () => (await api('campaigns.list', {})).length, { timeout: 10_000 }).toBe(1);
    const [campaign] = await api('campaigns.list', {});
    await desk.getByTestId(`campaign-row-${campaign!.id}`).waitFor();
    expect(await desk.getByTestId(`campaign-row-${campaign!.id}`).getByTestId('campaign-created-by').innerText()).toBe('Carmen Rojas');

    // ---- she records the patient's "no" at the desk: the consent history names her ----
    const rosa = (await api('patients.list', { search: '45871236' })).rows[0]!;
    const changed = await desk.evaluate(async (id) => {
      const r = await fetch('/api/call/patients.update', { method: 'POST', body: JSON.stringify({ id, consent: false }) });
      return r.status;
    }, rosa.id);
    expect(changed).toBe(200);
    await desk.getByTestId('nav-patients').click();
    await desk.getByRole('searchbox').fill('45871236');
    await desk.getByTestId('patient-row').filter({ hasText: '45871236' }).getByTestId('patient-consent-history').click();
    const entries = desk.getByTestId('consent-entry');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
    expect(await entries.first().getAttribute('data-person')).toBe(String(carmen.id));
    expect(await entries.first().getByTestId('consent-actor').innerText()).toBe('Carmen Rojas');
    // The registration came through this test's script (the server's token): said so, no person.
    expect(await entries.nth(1).getByTestId('consent-actor').innerText()).toBe('Programa local (token del servidor)');

    // ---- the audit trail names the administrator for each change, and her for the campaign ----
    const check = new Database(join(dataDir, 'avisa.sqlite'), { readonly: true });
    const rows = check.prepare('SELECT action, actor, entity_id AS entityId FROM audit_events ORDER BY id').all() as {
      action: string;
      actor: string;
      entityId: string | null;
    }[];
    check.close();
    expect(rows.find((r) => r.action === 'person.updated' && r.entityId === String(lucia.id))?.actor).toBe('Ana Torres');
    expect(rows.find((r) => r.action === 'person.secret_reset' && r.entityId === String(carmen.id))?.actor).toBe('Ana Torres');
    expect(rows.find((r) => r.action === 'settings.updated')?.actor).toBe('Ana Torres');
    expect(rows.find((r) => r.action === 'campaign.scheduled')?.actor).toBe('Carmen Rojas');
    await server.stop();
  }, 120_000);
});
