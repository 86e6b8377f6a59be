import { describe, expect, it } from 'vitest';
import { oneSiteClinic } from '../helpers/fixtures';
import { useE2e } from './fixture';

const e2e = useE2e({
  clinic: oneSiteClinic(),
});
const { api } = e2e;

describe('Pacientes: consent history and the policy after an opt-out, in a browser', () => {
  it("shows each patient's consent changes with their source, and saves the clinic policy", async () => {
    const rosa = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    await api('patients.update', { id: rosa.id, consent: false });
    const imported = await api('appointments.csvImport', {
      csv: 'documento;nombres;apellidos;celular;fecha;hora;consentimiento\n40112233;Luis;Quispe;987111222;01/01/2030;10:00;sí\n',
    });
    expect(imported.created).toBe(1);

    const { page, errors } = await e2e.openPage();
    await page.getByTestId('nav-patients').click();
    const rosaRow = page.getByTestId('patient-row').filter({ hasText: 'Mamani' });
    await rosaRow.getByTestId('patient-consent-history').click();
    const entries = page.getByTestId('consent-entry');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
    expect(await entries.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-status')}:${r.getAttribute('data-source')}`))).toEqual([
      'opted_out:reception_form',
      'opted_in:reception_form',
    ]);
    expect(await entries.first().innerText()).toContain('Formulario en recepción');
    // Who: these changes came through the server's own token (this test's script), and the history says so.
    expect(await entries.first().innerText()).toContain('Programa local (token del servidor)');

    const luisRow = page.getByTestId('patient-row').filter({ hasText: 'Quispe' });
    await luisRow.getByTestId('patient-consent-history').click();
    await expect.poll(() => entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source'))), { timeout: 10_000 }).toEqual(['import']);
    expect(await entries.first().innerText()).toContain('Importación');

    // The policy: explained on screen, reminders off by default; turn them on.
    await page.getByTestId('consent-policy-open').click();
    await page.getByTestId('consent-policy').waitFor();
    expect(await page.getByTestId('consent-policy').innerText()).toContain('BAJA, STOP, ALTO, CANCELAR');
    expect(await page.getByTestId('consent-policy-resultsAfterOptOut').isChecked()).toBe(true);
    expect(await page.getByTestId('consent-policy-remindersAfterOptOut').isChecked()).toBe(false);
    await page.getByTestId('consent-policy-remindersAfterOptOut').check();
    await page.getByTestId('consent-policy-save').click();
    await expect
      .poll(async () => (await api('consent.policy', {})).remindersAfterOptOut, { timeout: 10_000 })
      .toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
