import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfsig, samplePdf } from '../documents/pdf-tools';
import { templates } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';

// Resultados in a browser, server mode, on the Cloud API against the Graph fake: a dropped file appears, its signed
// PDF is previewed, it is sent; an item waiting for approval is approved; a sent result is resent from the list.

const certificateTemplate = {
  name: 'certificado_listo',
  language: 'es',
  status: 'APPROVED' as const,
  category: 'UTILITY' as const,
  components: [
    { type: 'HEADER', format: 'DOCUMENT' },
    { type: 'BODY', text: 'Hola {{1}}, su certificado {{2}} está listo.' },
  ],
};

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
  cloudApi: {
    templates: [...templates, certificateTemplate],
    autoStatuses: false,
  },
});
const { api } = e2e;

// Made before the server starts: generating the keys blocks this process for seconds, long enough for the server to
// drop the idle connection the next call would reuse.
const pki = makePki();

beforeAll(async () => {
  await api('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
});

describe('Resultados: tabs, PDF preview, approve, send, resend (browser, server mode)', () => {
  it('shows a dropped file, previews its signed PDF, sends it, approves a held one and resends from the list', async () => {
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

    const page = await e2e.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    });
    await page.goto(e2e.server.url);
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-incoming').click();

    // ---- a file dropped in the shared folder appears in Entrantes, signed, and goes out ----
    writeFileSync(join(folder, `${patient.documentNumber}_ACC1_resultado.pdf`), await samplePdf());
    const rows = page.getByTestId('result-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => rows.first().getAttribute('data-message'), { timeout: 20_000 }).toBe('sent');
    expect(await rows.first().innerText()).toContain('Mamani Torres');
    expect(await rows.first().innerText()).toContain('Firmado');
    expect(e2e.fake.accepted).toHaveLength(1);

    // ---- the preview shows the signed PDF, from a blob URL the CSP allows ----
    await rows.first().getByTestId('result-preview').click();
    const frame = page.getByTestId('pdf-preview');
    await frame.waitFor({ timeout: 10_000 });
    expect(await frame.getAttribute('data-signed')).toBe('yes');
    const src = (await frame.getAttribute('src')) ?? '';
    expect(src).toMatch(/^blob:/);
    // The frame really opened the blob (a CSP refusal would leave it on Chromium's error page and log a refusal).
    await expect.poll(() => page.frames().some((f) => f.url() === src), { timeout: 10_000 }).toBe(true);
    // The bytes the preview shows are the ones sent: an independent validator accepts their signature.
    const resultId = Number(await rows.first().getAttribute('data-id'));
    const served = await api('results.document', { id: resultId });
    const file = join(tempDir('avisa-preview-'), served.filename);
    writeFileSync(file, Buffer.from(served.base64, 'base64'));
    expect(pdfsig(file).signatures[0]?.valid).toBe(true);
    await page.getByTestId('pdf-preview-close').click();

    // ---- Firmados and Enviados list it; Fallidos does not ----
    await page.getByTestId('results-tab-signed').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('results-tab-failed').click();
    await expect.poll(() => page.getByText('Ningún envío falló.').count(), { timeout: 10_000 }).toBe(1);

    // ---- a document waiting for approval is approved from Por revisar and goes out ----
    await api('settings.update', { results: { requireManualApproval: true } });
    writeFileSync(join(folder, `${patient.documentNumber}_ACC2_resultado.pdf`), await samplePdf({ pages: 2 }));
    await page.getByTestId('results-tab-review').click();
    const review = page.getByTestId('review-row');
    await expect.poll(() => review.count(), { timeout: 30_000 }).toBe(1);
    expect(await review.first().getAttribute('data-code')).toBe('awaiting_approval');
    // The original as it arrived can be looked at before approving.
    await review.first().getByTestId('review-preview').click();
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-signed'), { timeout: 10_000 }).toBe('no');
    await review.first().getByTestId('review-approve').click();
    await expect.poll(() => review.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(2);

    // ---- Enviados: both; the first one is sent again from the list ----
    await page.getByTestId('results-tab-sent').click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    const first = page.locator(`[data-testid="result-row"][data-id="${resultId}"]`);
    await first.getByTestId('result-resend').click();
    // It already reached the patient: a question that says so comes first, and nothing is sent until it is answered.
    await page.getByTestId('confirm-resend').waitFor();
    expect(await page.getByTestId('confirm-resend').innerText()).toMatch(/ya lo recibió/);
    expect(e2e.fake.accepted.length).toBe(2);
    await page.getByTestId('confirm-resend-yes').click();
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(3);
    expect(e2e.fake.accepted[2]?.body).toMatchObject({ type: 'template', template: { name: 'resultado_listo' } });
    await expect.poll(async () => (await api('results.list', { filter: 'sent' })).rows.find((r) => r.id === resultId)?.messageState, { timeout: 20_000 }).toBe('sent');
    const messages = (await api('messages.list', {})).rows.filter((m) => m.kind === 'result');
    expect(messages).toHaveLength(3);

    expect(errors).toEqual([]);
  }, 180_000);

  it('issues a typed medical certificate from "Nuevo documento": signed, listed, previewed and sent', async () => {
    const { page, errors } = await e2e.openPage();
    // Ajustes: the patient portal's address, used in every result and document message from now on.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-documents').click();
    await page.getByTestId('results-portal-url').fill('https://portal.clinica.pe/r/{code}');
    await page.getByTestId('results-links-save').click();
    await expect.poll(async () => (await api('settings.get', {})).results.portalUrlTemplate, { timeout: 10_000 }).toBe(
      'https://portal.clinica.pe/r/{code}',
    );

    await page.getByTestId('nav-results').click();
    await page.getByTestId('new-document').click();
    const form = page.getByTestId('new-document-form');
    await form.waitFor();
    // Nothing chosen yet: the form says what is missing instead of sending.
    await page.getByTestId('doc-issue').click();
    await expect.poll(() => form.innerText(), { timeout: 10_000 }).toContain('Elija al paciente.');

    await page.getByTestId('doc-patient-search').fill('45871236');
    await expect.poll(() => page.getByTestId('doc-patient-option').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('doc-patient-option').first().click();
    await page.getByTestId('doc-kind').selectOption('certificate');
    await page.getByTestId('doc-title').fill('Descanso médico');
    await page.getByTestId('doc-body').fill('Requiere descanso médico por dos (2) días.');
    const before = e2e.fake.accepted.length;
    await page.getByTestId('doc-issue').click();
    await expect.poll(() => form.count(), { timeout: 20_000 }).toBe(0);

    const rows = page.getByTestId('result-row');
    await expect.poll(async () => (await rows.first().innerText()).includes('Descanso médico'), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(before + 1);
    expect(e2e.fake.accepted.at(-1)?.body).toMatchObject({ type: 'template', template: { name: 'certificado_listo' } });
    await expect.poll(() => rows.first().getAttribute('data-message'), { timeout: 20_000 }).toBe('sent');
    expect(await rows.first().innerText()).toContain('Certificado');
    const message = (await api('messages.list', {})).rows.find((m) => m.kind === 'document');
    expect(message?.body).toMatch(/Ábralo en el portal del paciente: https:\/\/portal\.clinica\.pe\/r\/[0-9A-F-]+/i);

    await rows.first().getByTestId('result-preview').click();
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-signed'), { timeout: 10_000 }).toBe('yes');
    const id = Number(await rows.first().getAttribute('data-id'));
    const served = await api('results.document', { id });
    const file = join(tempDir('avisa-issued-'), served.filename);
    writeFileSync(file, Buffer.from(served.base64, 'base64'));
    expect(pdfsig(file).signatures[0]?.valid).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
