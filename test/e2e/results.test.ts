import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
});
const { api } = e2e;

beforeAll(async () => {
  // Cloud API chosen but never configured: whatever is ready waits in the queue, nothing leaves the machine.
});

describe('results in a browser (server mode): certificate, shared folder, "por revisar"', () => {
  it('installs the certificate, takes two PDFs from the folder, and sends the unknown one once a patient is assigned', async () => {
    const work = tempDir('avisa-results-e2e-');
    const pki = makePki();
    const p12 = join(work, 'clinica.p12');
    writeFileSync(p12, pki.valid);

    const { page, errors } = await e2e.openPage();

    // ---- Ajustes → Certificado de firma ----
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-documents').click();
    await page.getByTestId('cert-info').waitFor();
    expect(await page.getByTestId('cert-info').getAttribute('data-state')).toBe('none');
    await page.getByTestId('cert-file').setInputFiles(p12);
    await page.getByTestId('cert-password').fill('no-es-la-clave');
    await page.getByTestId('cert-install').click();
    await page.getByTestId('cert-error').waitFor({ timeout: 15_000 });
    expect((await page.getByTestId('cert-error').innerText()).trim()).not.toBe('');
    expect(await page.getByTestId('cert-info').getAttribute('data-state')).toBe('none');
    expect((await api('certificate.info', {})).configured).toBe(false);

    // The file stays chosen: only the password is typed again.
    await page.getByTestId('cert-password').fill(PASSWORD);
    await page.getByTestId('cert-install').click();
    await expect.poll(() => page.getByTestId('cert-info').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
    expect(await page.getByTestId('cert-info').innerText()).toContain('Clínica San José');
    expect(await page.getByTestId('cert-error').count()).toBe(0);
    expect(await api('certificate.info', {})).toMatchObject({ configured: true, ok: true });

    // ---- a patient, and the shared folder ----
    const patient = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani Torres',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, `${patient.documentNumber}_ACC1_resultado.pdf`), await samplePdf());
    writeFileSync(join(folder, '11112222_ACC2_resultado.pdf'), await samplePdf({ pages: 2 }));

    // ---- Resultados → Por revisar: only the unknown patient's document, with its reason ----
    await page.getByTestId('nav-results').click();
    const reviewRows = page.getByTestId('review-row');
    await page.getByTestId('results-tab-review').click();
    await expect.poll(() => reviewRows.count(), { timeout: 30_000 }).toBe(1);
    expect(await reviewRows.first().getAttribute('data-code')).toBe('unknown_patient');
    const card = await reviewRows.first().innerText();
    expect(card).toContain('11112222');
    expect(card).toContain('11112222_ACC2_resultado.pdf');
    expect(card).toContain('ACC2');
    expect((await page.getByTestId('review-reason').innerText()).trim()).not.toBe('');

    // ---- a person assigns the patient: the queue empties ----
    await page.getByTestId('review-assign').click();
    await page.getByTestId('review-patient-search').fill(patient.documentNumber);
    await expect.poll(() => page.getByTestId('review-patient-option').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('review-patient-option').first().click();
    await expect.poll(() => reviewRows.count(), { timeout: 20_000 }).toBe(0);
    expect((await api('results.review', {})).total).toBe(0);

    // ---- Todos: both results, waiting in the queue (the Cloud API is not configured) ----
    await page.getByTestId('results-tab-incoming').click();
    const resultRows = page.getByTestId('result-row');
    await expect.poll(() => resultRows.count(), { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() => resultRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status'))), { timeout: 20_000 })
      .toEqual(['queued', 'queued']);
    for (const text of await resultRows.allInnerTexts()) {
      expect(text).toContain('En cola');
      expect(text).toContain('Mamani Torres');
    }

    expect(errors).toEqual([]);
  }, 120_000);
});
