import { describe, expect, it } from 'vitest';
import type { Message, Patient } from '../../src/shared/domain';
import { recordToasts } from '../helpers/toasts';
import { useE2e } from './fixture';

const e2e = useE2e({ server: false });

const digits = async (text: Promise<string>) => Number((await text).replace(/\D/g, ''));

describe('Campañas in a browser (server mode, demo clinic)', () => {
  it('the Panel shows figures, a campaign reaches opted-in patients only, and the audit verifies', async () => {
    await e2e.startServer();
    const api = async <T>(name: string, args: object): Promise<T> => {
      const res = await fetch(`${e2e.server.origin}/api/call/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${e2e.server.token}` },
        body: JSON.stringify(args),
      });
      const body = (await res.json()) as { ok: boolean; result: T };
      expect(body.ok).toBe(true);
      return body.result;
    };
    const { page, errors } = await e2e.openPage();
    await page.getByTestId('wizard-demo').click();
    await page.getByTestId('wizard-finish').click();
    await expect
      .poll(() => digits(page.getByTestId('panel-sent-value').innerText()), { timeout: 45_000, interval: 500 })
      .toBeGreaterThan(0);

    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('campaign-name').fill('Chequeo anual');
    await page.getByTestId('campaign-text').fill('Hola {nombre}, le invitamos a su chequeo anual.');
    await page.getByLabel(/Máximo por minuto/).fill('1000');
    // The demo clinic has a patient without consent and one with a landline: the live count says so.
    await expect.poll(() => page.getByTestId('campaign-reach').innerText(), { timeout: 10_000 }).toMatch(/Llega a 48 de 50/);
    await expect.poll(() => page.getByTestId('campaign-excluded').innerText(), { timeout: 10_000 }).toMatch(/1 sin consentimiento/);
    await page.getByTestId('campaign-send').click();
    // Nothing goes before the confirmation: the count, and the message as one patient will read it (no {nombre} left).
    const confirm = page.getByTestId('campaign-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('48 pacientes');
    expect(await page.getByTestId('campaign-as-seen').innerText()).toMatch(/^Hola \S+, le invitamos a su chequeo anual\.$/);
    expect((await api<{ rows: { kind: string }[] }>('messages.list', {})).rows.filter((m) => m.kind === 'campaign')).toHaveLength(0);
    const toasts = await recordToasts(page);
    await page.getByTestId('campaign-confirm-yes').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toContain('Campaña en marcha: 48 mensajes');

    const row = page.locator('[data-testid^="campaign-row-"]').first();
    await row.waitFor();
    expect(await digits(row.getByTestId('campaign-targeted').innerText())).toBe(48);
    expect(await digits(row.getByTestId('campaign-excluded-count').innerText())).toBe(2);
    await expect.poll(() => row.getByText('Terminada').count(), { timeout: 90_000, interval: 1000 }).toBe(1);
    // The demo network fails a few messages on purpose; every one was sent or failed, none left behind.
    expect(await digits(row.getByTestId('campaign-sent').innerText())).toBeGreaterThan(35);

    const patients = (await api<{ rows: Patient[] }>('patients.list', { limit: 500 })).rows;
    const messages = (await api<{ rows: Message[] }>('messages.list', { limit: 500 })).rows;
    const campaign = messages.filter((m) => m.kind === 'campaign');
    expect(campaign).toHaveLength(48);
    for (const m of campaign) {
      const p = patients.find((x) => x.id === m.patientId);
      expect(p?.consent).toBe('opted_in');
      expect(p?.phoneE164).toBe(m.toPhone);
      expect(m.body).toMatch(/^Hola \S+, le invitamos/);
    }

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-advanced').click();
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-result').innerText(), { timeout: 20_000 }).toMatch(/\d/);
    expect(await page.getByTestId('audit-result').getAttribute('class')).toBe('ok-note');
    expect(errors).toEqual([]);
  }, 180_000);
});
