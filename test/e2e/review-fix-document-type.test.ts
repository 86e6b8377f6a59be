import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { oneSiteClinic } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';

// A file names only a number, read as a DNI; the patient is registered with a carné de extranjería. In Resultados →
// Por revisar, "Corregir datos" offers the document type by its label; choosing CE finds the patient and the result goes.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
  cloudApi: { autoStatuses: false },
});
const { api } = e2e;

describe('Resultados → Por revisar: correcting the document type of an unknown patient', () => {
  it('picks CE in "Corregir datos", which matches the registered patient and sends the result', async () => {
    const pki = makePki();
    await api('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    const patient = { firstNames: 'Carlos', lastNames: 'Prueba', documentNumber: '001234567', phone: '987 000 333', consent: true };
    await api('patients.create', { ...patient, documentType: 'CE' });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, '001234567_ACC1_resultado.pdf'), await samplePdf());
    await expect.poll(async () => (await api('results.review', {})).rows.map((r) => r.code), { timeout: 30_000 }).toEqual([
      'unknown_patient',
    ]);

    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-review').click();
    const row = page.getByTestId('review-row');
    await row.getByTestId('review-fix').click();
    const form = page.getByTestId('review-fix-form');
    // Found by its label: the field's label is tied to the select.
    const documentType = form.getByLabel('Tipo de documento');
    await documentType.waitFor();
    expect(await documentType.inputValue()).toBe('DNI');
    expect(await documentType.locator('option').allInnerTexts()).toEqual(['DNI', 'CE', 'Pasaporte']);
    await documentType.selectOption('CE');
    await form.getByTestId('review-fix-save').click();

    await expect.poll(() => e2e.fake.accepted.length, { timeout: 30_000 }).toBe(1);
    expect(e2e.fake.accepted[0]?.to).toBe('51987000333');
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
