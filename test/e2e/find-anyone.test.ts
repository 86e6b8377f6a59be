import { beforeAll, describe, expect, it } from 'vitest';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';

// Search like people type, and register without losing the form: a receptionist books an appointment, finds
// "Huamán" by typing "huaman", does not find a new patient, registers them from the picker with what she typed, and is
// warned before registering someone twice.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
});
const { api } = e2e;

beforeAll(async () => {
  await api('patients.create', {
    firstNames: 'José',
    lastNames: 'Huamán Quispe',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
});

describe('find anyone, register from the picker (browser, server mode)', () => {
  it('finds "huaman", registers a new patient prefilled from the search and warns about a duplicate', async () => {
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('new-message').click();

    // ---- accents and case aside ----
    await page.getByTestId('send-patient-search').fill('huaman');
    await expect.poll(() => page.getByTestId('send-patient-option').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('send-patient-option').innerText()).toContain('Huamán Quispe');
    await page.getByTestId('send-patient-search').fill('+51 987-654-321');
    await expect.poll(() => page.getByTestId('send-patient-option').count(), { timeout: 10_000 }).toBe(1);

    // ---- someone new: "+ Registrar" with what was typed, inside the message form ----
    await page.getByTestId('send-patient-search').fill('Lucía Chávez Rojas');
    await expect.poll(() => page.getByText('Registrar «Lucía Chávez Rojas» como paciente nuevo').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('send-register-patient').click();
    await expect.poll(() => page.getByTestId('send-register-first-names').inputValue(), { timeout: 10_000 }).toBe('Lucía');
    await expect.poll(() => page.getByTestId('send-register-last-names').inputValue(), { timeout: 10_000 }).toBe('Chávez Rojas');

    // The same document as an existing patient: the form shows who it may be before a second record is made.
    await page.getByTestId('send-register-document').fill('45871236');
    await page.getByTestId('send-register-duplicates').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('send-register-duplicates').innerText()).toContain('José Huamán Quispe');
    await page.getByTestId('send-register-document').fill('40112233');
    await expect.poll(() => page.getByTestId('send-register-duplicates').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('send-register-consent').check();
    await page.getByTestId('send-register-save').click();

    // Back in the message form, with the new patient chosen and the form still open.
    await page.getByTestId('send-patient-picked').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('send-patient-picked').innerText()).toContain('Chávez Rojas, Lucía');
    const created = (await api('patients.list', { search: 'lucia chavez' })).rows;
    expect(created.map((p) => p.documentNumber)).toEqual(['40112233']);
    await page.screenshot({ path: '.tmp-shot/picker-1366.png' });
    expect(errors).toEqual([]);
  }, 60_000);
});
