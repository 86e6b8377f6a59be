import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArgsOf, HandlerName } from '../../src/shared/api';
import { samplePdf } from '../documents/pdf-tools';
import { type RevocationServices, startRevocationServices } from '../documents/revocation-services';
import { type LocalTsa, startLocalTsa } from '../documents/tsa-server';
import { launchChromium } from '../helpers/browser';
import { days, issue, makeCa } from '../helpers/pki';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import type { Page } from 'playwright-core';
import { type SoftToken, makeSoftToken, removeSoftHsm, useSoftHsm } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';

// The token section and "Ver firma" as a person uses them, in a real browser against the server: choose the PKCS#11
// module, the token and its certificate (SoftHSM2 plays the USB token), choose the signature level in plain words, type
// the PIN to sign what waits, then open the signature of the result: signer, time, level, validation data complete.

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
let browser: Browser;
let server: RunningServer | undefined;
let services: RevocationServices;
let tsa: LocalTsa;
let token: SoftToken;
let doctorToken: SoftToken;

beforeAll(async () => {
  const ca = makeCa('Avisa Test Root CA', NOW);
  services = await startRevocationServices(ca);
  const validity = { notBefore: days(NOW, -10), notAfter: days(NOW, 365) };
  const doctor = issue(ca, { cn: 'RAMOS CACERES LUIS FIRMA', ...validity, ocspUrl: services.ocspUrl });
  services.register(doctor, 'valid');
  await services.startOcsp();
  tsa = await startLocalTsa(issue(ca, { cn: 'Avisa Test TSA', ...validity, timeStamping: true }), ca);
  // The server process inherits SOFTHSM2_CONF, so its PKCS#11 module sees this token.
  useSoftHsm();
  token = makeSoftToken('token-clinica', doctor, ca, '482916');
  doctorToken = makeSoftToken('token-paredes', issue(ca, { cn: 'PAREDES VEGA LUCIA FIRMA', ...validity, ocspUrl: services.ocspUrl }), ca, '735124');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await tsa?.close();
  await services?.close();
  removeSoftHsm();
});

describe('signing with a token, in the browser', () => {
  it('chooses the module, token and certificate, signs what waits with the PIN, and "Ver firma" shows signer, time, B-LT and complete data', async () => {
    const running = await startServerProcess(tempDir());
    server = running;
    const api = <N extends HandlerName>(name: N, args: ArgsOf<N>) => callServer(running, name, args);
    await api('setup.complete', {
      clinicName: 'Clínica San José',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    });
    await api('settings.update', { signing: { tsaUrl: tsa.url } });
    // The clinic had chosen B-T for results; a person raises it below.
    const { results } = await api('settings.get', {});
    await api('settings.update', { results: { kinds: { result: { ...results.kinds.result, padesLevel: 'B-T' } } } });

    const page = await browser.newPage();
    await page.goto(running.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-documents').click();
    const section = page.getByTestId('settings-token');

    // The module, then the tokens it sees, then the certificates on the chosen one.
    await section.getByTestId('token-module').fill(token.modulePath);
    await section.getByTestId('token-search').click();
    await section.getByTestId('token-list').getByText(token.serial).click();
    const certificate = section.getByTestId('token-certificates').locator('li', { hasText: 'RAMOS CACERES LUIS FIRMA' });
    await certificate.getByTestId('token-use').click();
    await expect.poll(async () => (await api('settings.get', {})).signing.token?.tokenSerial).toBe(token.serial);
    await section.getByTestId('signing-credential').selectOption('token');
    await expect.poll(async () => (await api('settings.get', {})).signing.credential).toBe('token');

    // Results at B-LT (verifiable long term), and never below it: without revocation data a result waits.
    const resultRule = page.locator('[data-testid="kind-rule-row"][data-kind="result"]');
    await resultRule.getByTestId('kind-pades-level').selectOption('B-LT');
    await page.getByTestId('kinds-save').click();
    await page.getByTestId('signing-revocation-optional').selectOption('wait');
    await page.getByTestId('signing-save').click();
    await expect.poll(async () => (await api('settings.get', {})).signing.revocationOptional).toBe(false);
    expect((await api('settings.get', {})).results.kinds.result.padesLevel).toBe('B-LT');
    // Saving the signing options leaves the credential chosen above alone.
    expect((await api('settings.get', {})).signing).toMatchObject({ credential: 'token', token: { tokenSerial: token.serial } });

    // A result arrives: it waits for the PIN.
    const patient = await api('patients.create', {
      firstNames: 'Teresa',
      lastNames: 'Quispe Huamán',
      documentType: 'DNI',
      documentNumber: '40221133',
      phone: '987 654 321',
      consent: true,
    });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, `${patient.documentNumber}_ACC9_resultado.pdf`), await samplePdf());
    const waitingCode = async () => (await api('results.review', {})).rows.find((r) => r.originalName?.includes('ACC9'));
    await expect.poll(async () => (await waitingCode())?.code, { timeout: 30_000 }).toMatch(/^(awaiting_approval|certificate)$/);
    // A file without a sidecar saying it was approved waits for the desk's approval first.
    const arrived = await waitingCode();
    if (arrived?.code === 'awaiting_approval') await api('results.approve', { id: arrived.id });
    await expect.poll(async () => (await waitingCode())?.code, { timeout: 30_000 }).toBe('certificate');
    expect((await waitingCode())?.reason).toMatch(/PIN/);

    // A wrong PIN: nothing signed, the reason on screen. Then the right one signs it.
    await section.getByTestId('token-pin').fill('000000');
    await section.getByTestId('sign-pending-button').click();
    expect(await section.getByTestId('sign-pending-error').innerText()).toMatch(/PIN incorrecto/);
    await section.getByTestId('token-pin').fill(token.pin);
    await section.getByTestId('sign-pending-button').click();
    await page.getByText('Firmados: 1.').waitFor();
    const resultId = (await api('results.list', { filter: 'signed' })).rows.find((r) => r.patientName?.includes('Teresa'))?.id;
    expect(resultId).toBeDefined();

    // "Ver firma" on the signed result.
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-signed').click();
    await page.getByTestId('result-signature').first().click();
    const details = page.getByTestId('signature-details');
    await details.waitFor();
    expect(await details.getAttribute('data-level')).toBe('B-LT');
    const text = await details.innerText();
    expect(text).toContain('RAMOS CACERES LUIS FIRMA');
    expect(text).toContain('Datos de validación completos');
    expect(text).toMatch(/Fecha: [^·]*2\d{3}/);
    expect(text).toMatch(/Sello de tiempo: [^·]*2\d{3}/);
    expect(text).toMatch(/1 respuestas OCSP/);
  }, 180_000);

  it("links a token to a professional; what she validates waits for her PIN, which she types on Resultados", async () => {
    await server?.stop();
    const running = await startServerProcess(tempDir());
    server = running;
    const api = <N extends HandlerName>(name: N, args: ArgsOf<N>) => callServer(running, name, args);
    // The demo's doctor: Dra. Lucía Paredes, PIN 222222, registry CMP 045821.
    await api('setup.complete', {
      clinicName: 'Clínica San José',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    });
    await api('settings.update', { signOff: { requiredKinds: ['result'], trustedSources: [] } });

    // The administrator: "Para" the doctor, then her token's certificate.
    const admin = await browser.newPage();
    await admin.goto(running.url);
    await admin.getByTestId('nav-settings').click();
    await admin.getByTestId('settings-tab-documents').click();
    const section = admin.getByTestId('settings-token');
    await section.getByTestId('token-holder').selectOption({ label: 'Dra. Lucía Paredes (CMP 045821)' });
    await section.getByTestId('token-module').fill(doctorToken.modulePath);
    await section.getByTestId('token-search').click();
    await section.getByTestId('token-list').getByText(doctorToken.serial).click();
    const use = section.getByTestId('token-certificates').locator('li', { hasText: 'PAREDES VEGA LUCIA FIRMA' }).getByTestId('token-use');
    expect(await use.innerText()).toBe('Vincular a Dra. Lucía Paredes');
    await use.click();
    await admin.getByTestId('professional-credential-list').getByText(/Dra\. Lucía Paredes \(CMP 045821\) · token o DNIe · PAREDES VEGA LUCIA FIRMA/).waitFor();
    // The clinic's own signature stays the .p12.
    expect((await api('settings.get', {})).signing.credential).toBe('p12');

    const patient = await api('patients.create', {
      firstNames: 'Teresa',
      lastNames: 'Quispe Huamán',
      documentType: 'DNI',
      documentNumber: '40221133',
      phone: '987 654 321',
      consent: true,
    });
    const folder = tempDir('avisa-folder-');
    await api('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, `${patient.documentNumber}_ACC7_resultado.pdf`), await samplePdf());
    const row = async () => (await api('results.review', {})).rows.find((r) => r.originalName?.includes('ACC7'));
    await expect.poll(async () => (await row())?.code, { timeout: 30_000 }).toBe('awaiting_validation');

    // The doctor validates in Por revisar: it waits for her own signature, not the clinic's.
    const doctor = await signedInAs(running, '70000002', '222222');
    await doctor.getByTestId('nav-results').click();
    await doctor.getByTestId('results-tab-review').click();
    await doctor.locator('[data-testid="review-row"][data-code="awaiting_validation"]').getByTestId('review-validate').click();
    // Her token is closed: "Validar" asks for its PIN; she validates now and signs later, with one PIN for all.
    await doctor.getByTestId('validate-sign-later').click();
    await expect.poll(async () => (await row())?.code, { timeout: 30_000 }).toBe('certificate');
    expect((await row())?.reason).toMatch(/Espera la firma de Dra\. Lucía Paredes/);
    const card = doctor.getByTestId('my-signature');
    await expect.poll(async () => card.getAttribute('data-waiting'), { timeout: 30_000 }).toBe('1');

    // A wrong PIN is refused at once; the right one signs it with her certificate.
    await card.getByTestId('my-signature-secret').fill('000000');
    await card.getByTestId('my-signature-sign').click();
    expect(await card.getByTestId('my-signature-error').innerText()).toMatch(/PIN incorrecto/);
    await card.getByTestId('my-signature-secret').fill(doctorToken.pin);
    await card.getByTestId('my-signature-sign').click();
    await doctor.getByText('Firmados: 1.').waitFor();
    await doctor.getByTestId('results-tab-signed').click();
    await doctor.getByTestId('result-signature').first().click();
    expect(await doctor.getByTestId('signature-details').innerText()).toContain('PAREDES VEGA LUCIA FIRMA');
  }, 180_000);
});

/** A browser of its own, signed in through the sign-in screen as the given person. */
async function signedInAs(running: RunningServer, documentNumber: string, pin: string): Promise<Page> {
  const context = await browser.newContext();
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(running.url);
  await page.getByTestId('login-document').fill(documentNumber);
  await page.getByTestId('login-secret').fill(pin);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('signed-in-person').waitFor();
  return page;
}
