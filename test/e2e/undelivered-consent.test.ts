import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { oneSiteClinic } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { recordToasts } from '../helpers/toasts';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';

// A result WhatsApp did not deliver, to a patient who has since answered BAJA: the card in Resultados → Por revisar
// says consent is missing and offers "Registrar consentimiento". Nothing is recorded until the receptionist confirms
// that the patient agreed; "Cancelar" leaves everything as it was; "Sí, lo aceptó" records it and sends the result again.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
  cloudApi: { autoStatuses: false },
  webhooks: true,
});
const { api } = e2e;

const MOBILE = '51987000222';

describe('Resultados → Por revisar: an undelivered result whose patient has no consent', () => {
  it('asks before recording consent, keeps nothing on "Cancelar", and on "Sí, lo aceptó" records it and sends again', async () => {
    const pki = makePki();
    await api('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    const patient = { firstNames: 'Ana', lastNames: 'Prueba', documentNumber: '70990011', phone: '987 000 222', consent: true };
    const ana = await api('patients.create', { ...patient, documentType: 'DNI' });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, '70990011_ACC1_resultado.pdf'), await samplePdf());

    // Signed and handed to WhatsApp, which then reports that it could not take the document.
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 30_000 }).toBe(1);
    const first = e2e.fake.accepted[0];
    expect(first?.to).toBe(MOBILE);
    await e2e.fake.status(first?.wamid ?? '', 'failed', {
      errors: [{ code: 131053, title: 'Media upload error', details: 'Downloading media from weblink failed' }],
    });
    await expect.poll(async () => (await api('results.undelivered', {})).rows.map((r) => r.fix), { timeout: 20_000 }).toEqual([
      'resend',
    ]);
    // The patient writes BAJA: now it is consent that is missing, not another try.
    await e2e.fake.inbound({ from: MOBILE, text: 'BAJA' });
    await expect.poll(async () => (await api('results.undelivered', {})).rows.map((r) => r.fix), { timeout: 20_000 }).toEqual([
      'consent',
    ]);
    const consentOf = async () => (await api('patients.list', { search: '70990011' })).rows.find((p) => p.id === ana.id)?.consent;
    expect(await consentOf()).toBe('opted_out');

    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    const toasts = await recordToasts(page);
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-review').click();
    const row = page.locator('[data-testid="undelivered-row"][data-fix="consent"]');
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getByTestId('undelivered-reason').innerText(), { timeout: 10_000 }).toContain(
      'Ana Prueba no tiene consentimiento registrado',
    );

    // ---- the question comes first, and "Cancelar" records nothing ----
    await row.getByTestId('undelivered-consent').click();
    const question = row.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.innerText()).toContain('¿Ana Prueba aceptó recibir mensajes de la clínica por WhatsApp?');
    await question.getByRole('button', { name: 'Cancelar' }).click();
    await question.waitFor({ state: 'detached' });
    await row.getByTestId('undelivered-consent').waitFor();
    expect(await consentOf()).toBe('opted_out');
    expect(e2e.fake.accepted.length).toBe(1);

    // ---- "Sí, lo aceptó": consent recorded, the result goes again to the same mobile ----
    await row.getByTestId('undelivered-consent').click();
    await row.getByTestId('undelivered-consent-confirm').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toContain('Enviado de nuevo a Ana Prueba');
    await expect.poll(consentOf, { timeout: 10_000 }).toBe('opted_in');
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(2);
    expect(e2e.fake.accepted[1]?.to).toBe(MOBILE);
    await expect.poll(() => page.getByTestId('undelivered-row').count(), { timeout: 20_000 }).toBe(0);
    expect((await api('results.undelivered', {})).total).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
