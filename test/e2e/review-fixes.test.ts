import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { samplePdf } from '../documents/pdf-tools';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';
import { recordToasts } from '../helpers/toasts';

// One truth for what cannot go: a receptionist opens Resultados → Por revisar and finds every document that has not
// reached its patient (a problem at arrival, or WhatsApp refusing it), each with the button that fixes its cause, and
// every button says what really happened.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
  cloudApi: {
    autoStatuses: false,
    notOnWhatsApp: ['51911111111'],
  },
  webhooks: true,
});
const { api } = e2e;

const card = (page: Page, testId: string, id: number) => page.locator(`[data-testid="${testId}"][data-id="${id}"]`);

describe('Resultados → Por revisar: every document that cannot go, with the button that fixes it', () => {
  it('approves without a certificate (and says so), installs it, fixes a landline, consent and a number not on WhatsApp', async () => {
    const add = (firstNames: string, documentNumber: string, phone: string, consent: boolean) =>
      api('patients.create', { firstNames, lastNames: 'Prueba', documentType: 'DNI', documentNumber, phone, consent });
    await add('Rosa', '45871236', '911 111 111', true); // not on WhatsApp
    await add('Luis', '40112233', '01 4567890', true); // a landline
    await add('Ana', '70990011', '987 000 222', false); // no consent recorded
    await api('settings.update', { results: { requireManualApproval: true } });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    // Three different files (the folder knows a file by its content).
    for (const [i, doc] of ['45871236', '40112233', '70990011'].entries()) {
      writeFileSync(join(folder, `${doc}_ACC${i}_resultado.pdf`), await samplePdf({ pages: i + 1 }));
    }

    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });
    const toasts = await recordToasts(page);
    await page.getByTestId('nav-results').click();
    const reviewRows = page.getByTestId('review-row');
    await expect.poll(() => reviewRows.count(), { timeout: 30_000 }).toBe(3);
    // Por revisar opens by itself while something waits, and its count is the number of cards.
    await expect.poll(() => page.getByTestId('results-tab-review').getAttribute('aria-selected'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('results-tab-review').innerText(), { timeout: 10_000 }).toContain('3');

    const review = await api('results.review', {});
    const idOf = (code: string) => review.rows.find((r) => r.code === code)?.id as number;
    const rosa = idOf('awaiting_approval');
    const luis = idOf('bad_phone');
    const ana = idOf('no_consent');

    // ---- Aprobar without a certificate: the toast says it was approved and what it waits for; the row stays ----
    await card(page, 'review-row', rosa).getByTestId('review-approve').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toMatch(/^Aprobado\. Aún no puede salir: No hay un certificado de firma/);
    await expect.poll(() => card(page, 'review-row', rosa).getAttribute('data-code'), { timeout: 10_000 }).toBe('no_certificate');

    // ---- its button leads to the certificate, in Ajustes, with the focus there ----
    await card(page, 'review-row', rosa).getByTestId('review-install-certificate').click();
    await page.getByTestId('settings-certificate').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid')), { timeout: 10_000 })
      .toBe('settings-certificate');
    const pki = makePki();
    await page.getByTestId('cert-file').setInputFiles({
      name: 'clinica.p12',
      mimeType: 'application/x-pkcs12',
      buffer: pki.valid,
    });
    await page.getByTestId('cert-password').fill(PASSWORD);
    await page.getByTestId('cert-install').click();
    await expect.poll(async () => (await api('certificate.info', {})).configured, { timeout: 10_000 }).toBe(true);

    // ---- back in Por revisar: "Reintentar" sends it; WhatsApp says the number has no WhatsApp ----
    await page.getByTestId('nav-results').click();
    await card(page, 'review-row', rosa).getByTestId('review-retry').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toContain('El documento está en la cola de envío.');
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(1);
    const undelivered = page.getByTestId('undelivered-row');
    await expect.poll(() => undelivered.count(), { timeout: 30_000 }).toBe(1);
    expect(await undelivered.first().getAttribute('data-fix')).toBe('phone');
    expect(await undelivered.first().innerText()).toContain('Detalle técnico: 131026');
    await page.screenshot({ path: '.tmp-shot/review-1366.png', fullPage: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: '.tmp-shot/review-1024.png', fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
    await expect.poll(() => page.getByTestId('results-tab-review').innerText(), { timeout: 10_000 }).toContain('3');

    // ---- "Corregir celular" with a mobile that has WhatsApp: it goes to the new number ----
    await undelivered.first().getByTestId('undelivered-fix-phone').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe('undelivered-phone');
    await page.getByTestId('undelivered-phone').fill('922-222-222');
    await page.getByTestId('undelivered-phone-save').click();
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(2);
    expect(e2e.fake.accepted[1]?.to).toBe('51922222222');
    await expect.poll(() => undelivered.count(), { timeout: 20_000 }).toBe(0);

    // ---- the landline: "Corregir celular" on the arrival's card; it then waits for approval, and says so ----
    await card(page, 'review-row', luis).getByTestId('review-fix-phone').click();
    await page.getByTestId('review-phone').fill('01 222 3333');
    await page.getByTestId('review-phone-save').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toMatch(/^Nada cambió: .*fijo/);
    await page.getByTestId('review-phone').fill('987 111 333');
    await page.getByTestId('review-phone-save').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toMatch(/^Celular corregido\. Aún no puede salir: .*apruébelo/i);
    await card(page, 'review-row', luis).getByTestId('review-approve').click();
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(3);

    // ---- no consent: asked first, then recorded; approval sends it ----
    await card(page, 'review-row', ana).getByTestId('review-consent').click();
    await page.getByTestId('review-consent-confirm').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toMatch(/^Consentimiento registrado\. Aún no puede salir/);
    await card(page, 'review-row', ana).getByTestId('review-approve').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toBe('Aprobado. El documento está en la cola de envío.\n×');
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(4);
    await expect.poll(() => reviewRows.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByText('No hay nada por revisar.').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: '.tmp-shot/review-done-1366.png', fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);
});
