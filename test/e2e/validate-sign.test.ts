import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { axeCheck } from '../helpers/axe';
import { days, issue, makeCa } from '../helpers/pki';
import { type SoftToken, makeSoftToken, removeSoftHsm, useSoftHsm } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

// "Validar" by a doctor whose own signature is a token not open yet: the card asks for the token's PIN, as "Firmar mis
// pendientes" does, then validates and signs in one go. A mistyped PIN says so beside the field and changes nothing.
// SoftHSM2 plays her USB token; the server process inherits its configuration.

let token: SoftToken;
beforeAll(() => {
  const now = new Date();
  const ca = makeCa('Avisa Test Root CA', now);
  useSoftHsm();
  token = makeSoftToken('token-paredes', issue(ca, { cn: 'PAREDES VEGA LUCIA FIRMA', notBefore: days(now, -10), notAfter: days(now, 365) }), ca, '735124');
});
afterAll(() => removeSoftHsm());

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica San José',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'demo',
  },
});

/** A browser of its own, signed in through the sign-in screen as the given person. */
async function signedInAs(documentNumber: string, pin: string): Promise<Page> {
  const context = await e2e.browser.newContext();
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(e2e.server.url);
  await page.getByTestId('login-document').fill(documentNumber);
  await page.getByTestId('login-secret').fill(pin);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('signed-in-person').waitFor();
  return page;
}

describe('Validar with a token that is not open', () => {
  it('asks for the PIN, refuses a wrong one without changing anything, then validates and signs with her certificate', async () => {
    const { api } = e2e;
    await api('settings.update', { signOff: { requiredKinds: ['result'], trustedSources: [] } });
    // The demo's doctor (Dra. Lucía Paredes, PIN 222222) holds her own token.
    const doctor = (await api('people.list', {})).find((p) => p.documentNumber === '70000002');
    expect(doctor?.name).toBe('Dra. Lucía Paredes');
    await api('professional.linkToken', {
      personId: doctor?.id ?? 0,
      modulePath: token.modulePath,
      tokenSerial: token.serial,
      certificateId: token.certificateId,
    });
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
    writeFileSync(join(folder, `${patient.documentNumber}_ACC5_resultado.pdf`), await samplePdf());
    const row = async () => (await api('results.review', {})).rows.find((r) => r.originalName?.includes('ACC5'));
    await expect.poll(async () => (await row())?.code, { timeout: 30_000 }).toBe('awaiting_validation');
    const resultId = (await row())?.resultId as number;

    const page = await signedInAs('70000002', '222222');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-review').click();
    const card = page.locator('[data-testid="review-row"][data-code="awaiting_validation"]');
    await card.getByTestId('review-validate').click();

    // Her token is closed: the card asks for its PIN before anything happens.
    const prompt = card.getByTestId('validate-sign');
    await prompt.waitFor();
    expect(await prompt.innerText()).toContain('PIN del token');
    expect(await row()).toMatchObject({ code: 'awaiting_validation' });

    // A mistyped PIN: said beside the field; not validated, not signed, still waiting for her.
    await prompt.getByTestId('validate-sign-secret').fill('000000');
    await prompt.getByTestId('validate-sign-submit').click();
    const refusal = prompt.getByTestId('validate-sign-error');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/PIN incorrecto/);
    // The prompt with its refusal reads well to a screen reader too (axe-core: nothing serious or critical).
    expect(await axeCheck(page, 'validate and sign')).toEqual([]);
    expect(await prompt.getByTestId('validate-sign-secret').inputValue()).toBe('');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('validate-sign-secret');
    expect(await row()).toMatchObject({ code: 'awaiting_validation' });
    expect(await api('results.validations', { ids: [resultId] })).toEqual([]);

    // The right PIN: validated and signed in one go; the card leaves Por revisar.
    await prompt.getByTestId('validate-sign-secret').fill(token.pin);
    await prompt.getByTestId('validate-sign-submit').click();
    await expect.poll(async () => (await row()) ?? null, { timeout: 30_000 }).toBeNull();
    expect(await api('results.validations', { ids: [resultId] })).toMatchObject([{ personId: doctor?.id, registryNumber: 'CMP 045821' }]);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('results-tab-signed').click();
    await page.getByTestId('result-signature').first().click();
    await expect.poll(async () => page.getByTestId('signature-details').innerText(), { timeout: 10_000 }).toContain('PAREDES VEGA LUCIA FIRMA');
  }, 180_000);
});
