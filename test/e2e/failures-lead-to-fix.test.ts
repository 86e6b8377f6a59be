import { describe, expect, it } from 'vitest';
import { TOKEN } from '../helpers/cloud';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';
import { recordToasts } from '../helpers/toasts';

// Failures lead to their fix, and waiting messages say why: a receptionist sees "1 con falla" in the header, lands on
// that failure in Mensajes, corrects the mobile and the message goes to the new number; a queued message says it
// waits because sending is paused; a computer without internet says so in plain words.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
  cloudApi: {
    autoStatuses: false,
    notOnWhatsApp: ['51911111111'],
  },
  webhooks: true,
});
const { api } = e2e;

describe('failures lead to their fix; waiting messages say why (browser, server mode)', () => {
  it('opens the failure from the header, corrects the mobile, resends to it; a paused queue says it is paused', async () => {
    const rosa = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Huamán',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '911 111 111',
      consent: true,
    });
    await api('messages.send', { patientId: rosa.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Su cita es mañana'] });
    await expect.poll(async () => (await api('app.status', {})).failed, { timeout: 20_000 }).toBe(1);

    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } });

    // ---- the header's "1 con falla" opens Mensajes on the failures nobody has dealt with ----
    await page.getByTestId('header-failed').click();
    await page.getByTestId('messages-open-failures').waitFor();
    await expect.poll(() => page.getByTestId('messages-state').inputValue(), { timeout: 10_000 }).toBe('failed');
    const rows = page.getByTestId('message-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);

    // ---- not on WhatsApp: "Corregir celular", not a Reenviar that would fail again the same way ----
    await rows.first().getByTestId('row-fix-phone').click();
    await page.getByTestId('message-detail').waitFor();
    await page.getByTestId('fix-phone').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe('message-phone');
    await page.getByTestId('message-phone').fill('+51 922-222-222');
    const toasts = await recordToasts(page);
    await page.getByTestId('message-phone-save').click();
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(2);
    expect(e2e.fake.accepted[1]?.to).toBe('51922222222');
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toContain('+51922222222');
    // Dealt with: the header no longer counts it, and the filtered list is empty.
    await expect.poll(() => page.getByTestId('header-failed').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(0);
    expect((await api('patients.list', { search: 'huaman' })).rows[0]?.phoneE164).toBe('+51922222222');

    // ---- a paused queue: the waiting message says so ----
    await api('settings.update', { sendingPaused: true });
    await api('messages.send', { patientId: rosa.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Recordatorio'] });
    await page.getByTestId('nav-messages').click();
    const queued = page.locator('[data-testid="message-row"][data-state="queued"]');
    await expect.poll(() => queued.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => queued.first().getByTestId('message-reason').innerText(), { timeout: 10_000 }).toContain(
      'los envíos están en pausa',
    );
    await page.screenshot({ path: '.tmp-shot/messages-1366.png' });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: '.tmp-shot/messages-1024.png' });
    // ---- cancelling a queued message asks first; "Cancelar" on the question keeps it ----
    await queued.first().click();
    await page.getByTestId('cancel-message').click();
    const ask = page.getByTestId('confirm-cancel');
    expect(await ask.innerText()).toContain('¿Cancelar el mensaje a Rosa Huamán?');
    await page.getByTestId('confirm-cancel-no').click();
    expect((await api('messages.list', { state: 'queued' })).total).toBe(1);
    await page.getByTestId('cancel-message').click();
    await page.getByTestId('confirm-cancel-yes').click();
    await expect.poll(async () => (await api('messages.list', { state: 'cancelled' })).total, { timeout: 10_000 }).toBe(1);
    await api('sending.resume', {});
    await api('messages.send', { patientId: rosa.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Otra vez'] });
    await expect.poll(() => e2e.fake.accepted.length, { timeout: 20_000 }).toBe(3);
    expect(errors).toEqual([]);
  }, 120_000);

  it('says "Sin conexión a internet" when the computer cannot reach WhatsApp, with the system code as a detail', async () => {
    await api('settings.update', { cloudApi: { baseUrl: 'http://graph.avisa-offline.invalid' } });
    // A token is bound to the server it was entered for: pointing at another one asks for it again.
    await api('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
    const ana = await api('patients.create', {
      firstNames: 'Ana',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '70990011',
      phone: '987 000 222',
      consent: true,
    });
    const sent = await api('messages.send', { patientId: ana.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect
      .poll(async () => (await api('messages.list', {})).rows.find((m) => m.id === sent.id)?.lastErrorReason ?? '', { timeout: 20_000 })
      .toMatch(/^Sin conexión a internet: los mensajes esperan en cola/);
    const message = (await api('messages.list', {})).rows.find((m) => m.id === sent.id);
    expect(message?.state).toBe('queued');
    expect(message?.lastErrorCode).toMatch(/^network:(ENOTFOUND|EAI_AGAIN)$/);
    expect(message?.lastErrorReason).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
  }, 60_000);
});
