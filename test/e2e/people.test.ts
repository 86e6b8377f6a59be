import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../documents/pdf-tools';
import { callServer, startServerProcess } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';
import { useE2e } from './fixture';

let dataDir: string;

const e2e = useE2e({ server: false });

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

describe('two people in the browser (server mode)', () => {
  it('a receptionist cannot validate, a professional validates, and the audit and evidence name both', async () => {
    dataDir = tempDir();
    await e2e.startServer(dataDir);
    const { api } = e2e;
    // The demo creates its front desk (Carmen Rojas, PIN 111111) and doctor (Dra. Lucía Paredes, PIN 222222).
    await api('setup.complete', {
      clinicName: 'Clínica San José',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    });
    const pki = makePki();
    await api('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    await api('settings.update', { signOff: { requiredKinds: ['result'], trustedSources: [] } });
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
    writeFileSync(join(folder, `${patient.documentNumber}_ACC9_resultado.pdf`), await samplePdf());
    await expect
      .poll(async () => (await api('results.review', {})).rows.find((r) => r.patientId === patient.id)?.code, { timeout: 30_000 })
      .toBe('awaiting_validation');

    // ---- the receptionist: sees the result waiting, no "Validar", and the core refuses it anyway ----
    const desk = await signedInAs('70000001', '111111');
    expect(await desk.getByTestId('signed-in-person').innerText()).toBe('Carmen Rojas');
    expect(await desk.getByTestId('nav-settings').count()).toBe(0);
    await desk.getByTestId('nav-results').click();
    await desk.getByTestId('results-tab-review').click();
    const waiting = desk.locator('[data-testid="review-row"][data-code="awaiting_validation"]');
    await waiting.waitFor();
    expect(await waiting.getByTestId('review-reason').innerText()).toMatch(/validación de un profesional de salud/);
    expect(await waiting.getByTestId('review-validate').count()).toBe(0);
    const resultId = (await api('results.review', {})).rows.find((r) => r.patientId === patient.id)?.resultId;
    const refused = await desk.evaluate(async (id) => {
      const r = await fetch('/api/call/results.validate', { method: 'POST', body: JSON.stringify({ id }) });
      return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
    }, resultId);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toMatch(/Profesional de salud/);
    // She sends the patient a message by hand, through her own session.
    const manual = await desk.evaluate(async (patientId) => {
      const r = await fetch('/api/call/messages.send', {
        method: 'POST',
        body: JSON.stringify({ patientId, mode: 'text', text: 'Su resultado estará listo hoy.' }),
      });
      return r.status;
    }, patient.id);
    expect(manual).toBe(200);

    // ---- the professional: validates in Por revisar; the result goes out ----
    const doctor = await signedInAs('70000002', '222222');
    expect(await doctor.getByTestId('signed-in-person').innerText()).toBe('Dra. Lucía Paredes');
    await doctor.getByTestId('nav-results').click();
    await doctor.getByTestId('results-tab-review').click();
    const toValidate = doctor.locator('[data-testid="review-row"][data-code="awaiting_validation"]');
    await toValidate.getByTestId('review-validate').click();
    await toValidate.waitFor({ state: 'detached', timeout: 20_000 });
    // Validated, then signed and queued (the demo's own queue goes first, so "sent" may take a while on a busy machine).
    await expect
      .poll(async () => (await api('results.list', { filter: 'signed' })).rows.some((r) => r.id === resultId), { timeout: 60_000 })
      .toBe(true);

    // ---- the audit trail and the evidence export name both people ----
    const db = new Database(join(dataDir, 'avisa.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT action, actor, person_id AS personId FROM audit_events ORDER BY id').all() as {
      action: string;
      actor: string;
      personId: number | null;
    }[];
    db.close();
    expect(rows.find((r) => r.action === 'message.manual_send')).toMatchObject({ actor: 'Carmen Rojas' });
    expect(rows.find((r) => r.action === 'result.validated')).toMatchObject({ actor: 'Dra. Lucía Paredes' });
    expect(rows.filter((r) => r.action === 'auth.signed_in').map((r) => r.actor)).toEqual(
      expect.arrayContaining(['Carmen Rojas', 'Dra. Lucía Paredes']),
    );
    const evidence = await api('evidence.export', { patientId: patient.id, format: 'csv' });
    const csv = Buffer.from(evidence.base64, 'base64').toString('utf8');
    expect(csv).toContain('Dra. Lucía Paredes');
    expect(csv).toContain('CMP 045821');
    expect(csv).toMatch(/message\.manual_send;Enviado a mano;[^\n]*Carmen Rojas/);
  }, 120_000);

  it('a fresh install asks for its first administrator before anything else', async () => {
    const fresh = await startServerProcess(tempDir(), {}, { signIn: false });
    try {
      const context = await e2e.browser.newContext();
      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(fresh.url);
      await page.getByTestId('first-admin-name').fill('Jorge Salas');
      await page.getByTestId('first-admin-document').fill('42424242');
      await page.getByTestId('first-admin-secret').fill('una-clave-larga');
      await page.getByTestId('first-admin-submit').click();
      await page.getByTestId('wizard-clinic-name').waitFor();
      const people = await callServer(fresh, 'people.list', {});
      expect(people).toMatchObject([{ name: 'Jorge Salas', roles: ['admin', 'reception'] }]);
      await context.close();
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
