import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { demoSetup, startCore } from '../helpers/core';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
});
async function started() {
  const c = await startCore();
  cores.push(c.core);
  return c;
}

describe('API handlers', () => {
  it('start with the first-run wizard and working defaults', async () => {
    const { call } = await started();
    expect(await call('app.status', {})).toMatchObject({ setupComplete: false, channel: null, queued: 0 });
    expect(await call('settings.get', {})).toMatchObject({
      language: 'es',
      sendingPaused: false,
      cloudApi: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v23.0' },
      secrets: { 'cloudApi.accessToken': false },
    });
  });

  it('set up a demo clinic with 2 sites, 50 patients, appointments, results and queued messages', async () => {
    const { call } = await started();
    const status = await call('setup.complete', demoSetup);
    expect(status).toMatchObject({ setupComplete: true, demo: true, channel: 'demo' });
    expect(await call('sites.list', {})).toHaveLength(2);
    expect((await call('patients.list', { limit: 500 })).total).toBe(50);
    const now = Date.now();
    expect((await call('appointments.list', { from: now - 86_400_000, to: now + 7 * 86_400_000 })).length).toBe(50);
    const results = await call('results.list', {});
    expect(results.total).toBeGreaterThan(5);
    expect(results.rows.some((r) => r.status === 'pending_review' && r.reviewReason)).toBe(true);
    const queued = await call('messages.list', { limit: 500 });
    expect(queued.total).toBeGreaterThan(15);
    expect(queued.rows.every((m) => m.toPhone.startsWith('+51'))).toBe(true);
    // The patient with a landline shows why they cannot be reached.
    const landline = (await call('patients.list', { limit: 500 })).rows.find((p) => p.phoneError);
    expect(landline?.phoneError).toMatch(/fijo/);
    await expect(call('setup.complete', demoSetup)).rejects.toThrow(/already_setup/);
  });

  it('refuse bad input with a clear Spanish error, or English when chosen', async () => {
    const { core, call } = await started();
    const bad = await core.invoke('setup.complete', { ...demoSetup, sites: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(!bad.ok && bad.error.message).toMatch(/^Datos no válidos: sites/);
    const tz = await core.invoke('setup.complete', {
      ...demoSetup,
      sites: [{ name: 'X', country: 'PE', timeZone: 'Mars/Olympus' }],
    });
    expect(!tz.ok && tz.error.message).toMatch(/zona horaria/);
    expect(await core.invoke('nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'unknown_handler' } });
    await call('settings.update', { language: 'en' });
    const english = await core.invoke('messages.resend', { id: 999 });
    expect(english).toMatchObject({ ok: false, error: { code: 'not_found', message: 'The record was not found.' } });
  });

  it('keep a patient with an unusable phone, with the reason, and refuse a duplicate document', async () => {
    const { core, call } = await started();
    await call('setup.complete', { ...demoSetup, channel: 'cloud-api' });
    const patient = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Quispe Mamani',
      documentType: 'DNI',
      documentNumber: '12345678',
      phone: '01 234 5678',
      consent: true,
    });
    expect(patient).toMatchObject({ phoneE164: null, phoneRaw: '01 234 5678', consent: 'opted_in' });
    expect(patient.phoneError).toMatch(/fijo/);
    const good = await call('patients.create', {
      firstNames: 'Luis',
      lastNames: 'Torres',
      documentType: 'CE',
      documentNumber: '001234567',
      phone: '987 654 321',
    });
    expect(good).toMatchObject({ phoneE164: '+51987654321', phoneError: null, consent: 'unknown' });
    const fixed = await call('patients.update', { id: patient.id, phone: '987 111 222' });
    expect(fixed).toMatchObject({ phoneE164: '+51987111222', phoneError: null, phoneRaw: '987 111 222' });
    const optedOut = await call('patients.update', { id: good.id, consent: false });
    expect(optedOut).toMatchObject({ consent: 'opted_out', consentSource: 'reception_form' });
    expect(await core.invoke('patients.update', { id: 9999, phone: '1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const dup = await core.invoke('patients.create', {
      firstNames: 'Otra',
      lastNames: 'Persona',
      documentType: 'DNI',
      documentNumber: '12345678',
    });
    expect(dup).toMatchObject({ ok: false, error: { code: 'duplicate_patient' } });
  });

  it('send the demo clinic’s messages through the demo channel and log every step in the audit', async () => {
    const { call } = await started();
    await call('setup.complete', demoSetup);
    await expect
      .poll(async () => (await call('panel.summary', {})).totals.sent, { timeout: 15_000, interval: 250 })
      .toBeGreaterThan(0);
    // Every step lands in the audit as the demo keeps sending (its reminders are planned in one audited batch).
    await expect.poll(async () => (await call('audit.verify', {})).checked, { timeout: 30_000, interval: 250 }).toBeGreaterThan(20);
    const audit = await call('audit.verify', {});
    expect(audit.ok).toBe(true);
  }, 40_000);

  it('store secrets write-only', async () => {
    const { call } = await started();
    const view = await call('secrets.set', { name: 'cloudApi.accessToken', value: 'EAAG-secret' });
    expect(view.secrets['cloudApi.accessToken']).toBe(true);
    expect(JSON.stringify(view)).not.toContain('EAAG-secret');
  });
});
