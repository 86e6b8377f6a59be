import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Patient } from '../../src/shared/domain';
import { TOKEN, templates } from '../helpers/cloud';
import { oneSiteClinic } from '../helpers/fixtures';
import { useE2e } from './fixture';

let patient: Patient;

const e2e = useE2e({
  clinic: oneSiteClinic(),
  cloudApi: {
    // No status webhooks: each message stops at "sent", which is what this test follows.
    autoStatuses: false,
  },
});
const { api } = e2e;

const rows = (page: Page) => page.getByTestId('message-row');
const stateOf = (page: Page, id: string) => page.locator(`[data-testid="message-row"][data-id="${id}"]`).getAttribute('data-state');

beforeAll(async () => {
  patient = await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
});

describe('delivery engine in a browser (server mode, Cloud API against the fake Graph API)', () => {
  it('syncs templates, checks the number, sends a template, shows its timeline, pauses on a bad token, resumes, fixes a phone', async () => {
    expect(patient.phoneE164).toBe('+51987654321');
    expect(patient.consent).toBe('opted_in');
    const { page, errors } = await e2e.openPage();

    // ---- Ajustes: templates and the connection check ----
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-whatsapp').click();
    await expect.poll(() => page.getByTestId('cloud-template-row').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('cloud-sync-templates').click();
    await expect.poll(() => page.getByTestId('cloud-template-row').count(), { timeout: 15_000 }).toBe(templates.length);
    const names = await page.getByTestId('cloud-template-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')));
    expect(names.sort()).toEqual(templates.map((t) => t.name).sort());
    await expect
      .poll(() => page.locator('[data-testid="cloud-template-row"][data-name="promo_pausada"]').innerText(), { timeout: 10_000 })
      .toContain('PAUSED');

    await page.getByTestId('cloud-check').click();
    await page.getByTestId('cloud-check-result').waitFor();
    expect(await page.getByTestId('cloud-check-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('cloud-check-result').innerText()).toContain('Clínica de prueba');

    // ---- Mensajes: a template to the patient, by hand ----
    await page.getByTestId('nav-messages').click();
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('new-message').click();
    await page.getByTestId('send-patient-search').fill(patient.documentNumber);
    await page.getByTestId('send-patient-option').first().click();
    await page.getByTestId('send-mode-template').check();
    await page.getByTestId('send-template-name').fill('aviso_clinica');
    // The synced template says it takes one parameter: exactly one input appears.
    await expect.poll(() => page.getByTestId('send-template-param').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('send-template-param').fill('Su resultado de laboratorio está listo.');
    await page.getByTestId('send-submit').click();

    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(1);
    const firstId = await rows(page).first().getAttribute('data-id');
    expect(firstId).toMatch(/^\d+$/);
    await expect.poll(() => stateOf(page, firstId ?? ''), { timeout: 20_000 }).toBe('sent');
    expect(await rows(page).first().innerText()).toContain('Enviado');

    expect(e2e.fake.accepted).toHaveLength(1);
    expect(e2e.fake.accepted[0]?.to).toBe('51987654321');
    expect(JSON.stringify(e2e.fake.accepted[0]?.body)).toContain('aviso_clinica');
    expect(JSON.stringify(e2e.fake.accepted[0]?.body)).toContain('Su resultado de laboratorio está listo.');

    // ---- its detail: the timeline, the provider id ----
    await rows(page).first().click();
    await page.getByTestId('message-detail').waitFor();
    await expect
      .poll(() => page.getByTestId('timeline-event').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state'))), { timeout: 10_000 })
      .toEqual(['queued', 'sending', 'sent']);
    expect(await page.getByTestId('message-timeline').innerText()).toContain('Enviado');
    expect(await page.getByTestId('message-provider-id').innerText()).toBe(e2e.fake.accepted[0]?.wamid);
    expect(await page.getByTestId('resend-message').count()).toBe(0); // a sent message is not resent
    await page.getByTestId('drawer-close').click();
    await expect.poll(() => page.getByTestId('message-detail').count(), { timeout: 10_000 }).toBe(0);

    // ---- a token the Graph API refuses: sending stops and says why ----
    expect(await page.getByTestId('channel-banner').count()).toBe(0);
    await api('secrets.set', { name: 'cloudApi.accessToken', value: 'EAA-not-the-right-one' });
    await page.getByTestId('new-message').click();
    await page.getByTestId('send-patient-search').fill(patient.documentNumber);
    await page.getByTestId('send-patient-option').first().click();
    await page.getByTestId('send-mode-text').check();
    await page.getByTestId('send-text').fill('Le esperamos mañana a las 8:00.');
    await page.getByTestId('send-submit').click();

    const banner = page.getByTestId('channel-banner');
    await banner.waitFor({ timeout: 20_000 });
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 10_000 }).toBe('paused');
    await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toContain('token de acceso');
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(2);
    const secondId = await page.locator(`[data-testid="message-row"]:not([data-id="${firstId}"])`).getAttribute('data-id');
    expect(secondId).toMatch(/^\d+$/);
    await expect.poll(() => stateOf(page, secondId ?? ''), { timeout: 10_000 }).toBe('queued');
    expect(e2e.fake.accepted).toHaveLength(1);

    // ---- the token is fixed and a person resumes: the waiting message goes out ----
    await api('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
    // Fixing the token alone does not resume: a person decides.
    expect(await api('app.status', {})).toMatchObject({ channelHealth: { state: 'paused' } });
    await page.getByTestId('resume-sending').click();
    await expect.poll(() => page.getByTestId('channel-banner').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => stateOf(page, secondId ?? ''), { timeout: 20_000 }).toBe('sent');
    expect(await page.locator(`[data-testid="message-row"][data-id="${secondId}"]`).innerText()).toContain('Enviado');
    expect(e2e.fake.accepted).toHaveLength(2);
    expect(JSON.stringify(e2e.fake.accepted[1]?.body)).toContain('Le esperamos mañana a las 8:00.');

    // ---- Pacientes: a receptionist fixes a phone WhatsApp cannot use ----
    await page.getByTestId('nav-patients').click();
    const editPhone = async (phone: string): Promise<void> => {
      await page.getByTestId('patient-edit').first().click();
      await page.getByTestId('patient-edit-phone').fill(phone);
      await page.getByTestId('patient-save').click();
      await expect.poll(() => page.getByTestId('patient-edit-form').count(), { timeout: 10_000 }).toBe(0);
    };
    expect(await page.getByTestId('patient-phone-error').count()).toBe(0);
    await editPhone('12');
    await expect.poll(() => page.getByTestId('patient-phone-error').count(), { timeout: 10_000 }).toBe(1);
    await editPhone('+51 912 345 678');
    await expect.poll(() => page.getByTestId('patient-phone-error').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('patient-row').first().innerText(), { timeout: 10_000 }).toContain('+51912345678');
    expect((await api('patients.list', { search: patient.documentNumber })).rows[0]).toMatchObject({
      phoneE164: '+51912345678',
      phoneError: null,
      consent: 'opted_in', // untouched, so unchanged
    });

    expect(errors).toEqual([]);
  }, 120_000);
});
