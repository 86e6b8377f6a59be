import { describe, expect, it } from 'vitest';
import { oneSiteClinic } from '../helpers/fixtures';
import { useE2e } from './fixture';

// Cloud API chosen but never configured: a message sent stays queued, and the header counts it.
const e2e = useE2e({ clinic: oneSiteClinic() });
const { api } = e2e;

const calls = (urls: string[], name: string) => urls.filter((u) => u.endsWith(`/api/call/${name}`)).length;

describe("Pacientes: a patient's consent history follows consent changes only (browser, server mode)", () => {
  it('asks nothing when a message moves, and shows a consent changed elsewhere without a reload', async () => {
    const rosa = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } }, false);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(e2e.server.url);
    await page.getByTestId('nav-patients').click();
    await page.getByTestId('patient-row').filter({ hasText: 'Mamani' }).getByTestId('patient-consent-history').click();
    const entries = page.getByTestId('consent-entry');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(1);
    const asked = calls(requested, 'patients.consentHistory');
    expect(asked).toBeGreaterThan(0);

    // A message to her moves the queue (the header's count arrives through the same event stream): no consent changed.
    await api('messages.send', { patientId: rosa.id, mode: 'text', text: 'Su resultado está listo.' });
    await expect.poll(() => page.getByText(/^1 en cola$/).count(), { timeout: 10_000 }).toBe(1);
    // Longer than the one second in which a list reloads after its event: a reload would have been asked by now.
    await page.waitForTimeout(1_500);
    expect(calls(requested, 'patients.consentHistory')).toBe(asked);

    // Her consent withdrawn at another desk: the open history shows it.
    await api('patients.update', { id: rosa.id, consent: false });
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
    expect(await entries.first().getAttribute('data-status')).toBe('opted_out');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
