import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../src/shared/domain';
import { pdftotext } from '../documents/pdf-tools';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { oneSiteClinic } from '../helpers/fixtures';
import { useE2e } from './fixture';

let smtp: FakeSmtp;
let patient: Patient;

const e2e = useE2e({
  clinic: oneSiteClinic(),
  cloudApi: { autoStatuses: false, notOnWhatsApp: ['51900000009'] },
  webhooks: true,
});
const { api } = e2e;

beforeAll(async () => {
  smtp = await startFakeSmtp({ users: { avisos: 'clave-smtp' } });
  patient = await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '900 000 009',
    email: 'rosa.mamani@correo.test',
    consent: true,
  });
}, 60_000);

afterAll(async () => {
  await smtp?.close();
});

describe('e-mail fallback and evidence export in a browser (server mode)', () => {
  it('sets up SMTP in Ajustes, sends a test, shows the e-mail copy beside the WhatsApp attempt, exports the evidence', async () => {
    const { page, errors } = await e2e.openPage();

    // ---- Ajustes → Correo (SMTP) ----
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-email').click();
    const section = page.getByTestId('settings-email');
    await section.waitFor();
    expect(await section.innerText()).toContain('Correo (SMTP)');
    await page.getByTestId('email-fallback').check();
    await page.getByTestId('email-host').fill('127.0.0.1');
    await page.getByTestId('email-port').fill(String(smtp.port));
    await page.getByTestId('email-security').selectOption('none');
    await page.getByTestId('email-user').fill('avisos');
    await page.getByTestId('email-password').fill('clave-smtp');
    await page.getByTestId('email-from').fill('avisos@clinica.test');
    await page.getByTestId('email-save').click();
    await expect.poll(async () => (await api('settings.get', {})).email.port, { timeout: 10_000 }).toBe(smtp.port);
    // The password is stored by its own call after the settings: wait for it as for them.
    await expect.poll(async () => (await api('settings.get', {})).secrets['email.password'], { timeout: 10_000 }).toBe(true);
    await page.getByTestId('email-test-to').fill('recepcion@clinica.test');
    await page.getByTestId('email-test').click();
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    expect(smtp.received[0]?.to).toEqual(['recepcion@clinica.test']);

    // ---- a message WhatsApp cannot deliver goes by e-mail; the detail shows both ----
    const m = await api('messages.send', { patientId: patient.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Su resultado está listo.'] });
    await expect
      .poll(async () => (await api('messages.timeline', { id: m.id })).related.find((r) => r.channel === 'email')?.state, { timeout: 20_000 })
      .toBe('sent');
    expect(smtp.received.at(-1)?.to).toEqual(['rosa.mamani@correo.test']);
    expect(smtp.received.at(-1)?.parsed.text).toContain('Su resultado está listo.');
    await page.getByTestId('nav-messages').click();
    await page.locator(`[data-testid="message-row"][data-id="${m.id}"]`).click();
    await page.getByTestId('message-detail').waitFor();
    const related = page.locator('[data-testid="related-message"][data-channel="email"]');
    await related.waitFor();
    expect(await related.innerText()).toContain('rosa.mamani@correo.test');
    expect(await related.innerText()).toContain('Enviado');
    await related.getByRole('button').click();
    await expect.poll(() => page.getByTestId('message-email').innerText(), { timeout: 10_000 }).toBe('rosa.mamani@correo.test');
    await page.getByTestId('drawer-close').click();

    // ---- Pacientes → Exportar evidencia ----
    await page.getByTestId('nav-patients').click();
    await page.getByTestId('patient-export').first().click();
    await page.getByTestId('evidence-format').selectOption('csv');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('evidence-download').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^evidencia-DNI-45871236-\d{8}\.csv$/);
    const csv = readFileSync(await csvDownload.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    const copy = (await api('messages.timeline', { id: m.id })).related.find((r) => r.channel === 'email')!;
    expect(text).toContain(`;Correo electrónico;rosa.mamani@correo.test;${copy.providerId};${m.id};`);
    expect(text).toContain('no tiene WhatsApp, tiene una versión antigua o bloqueó a la clínica. (Message Undeliverable.) (131026);provider;');

    await page.getByTestId('evidence-format').selectOption('pdf');
    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('evidence-download').click()]);
    const pdf = pdftotext(await pdfDownload.path());
    expect(pdf).toContain('Paciente: Rosa Mamani Torres (DNI 45871236)');
    expect(pdf).toMatch(/Verificación de auditoría: Íntegra/);
    expect(pdf).toContain(copy.providerId!);
    expect(errors).toEqual([]);
  }, 90_000);
});
