import { describe, expect, it } from 'vitest';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';

// A clinic in Lima, a browser set up in English in Tokyo: every date and time is still the clinic's (es-PE, Lima's
// clock), and a message waiting for an unconfigured channel says so.

const e2e = useE2e({
  clinic: oneSiteClinic({ clinicName: 'Clínica San José' }),
});
const { api } = e2e;

/** The hour and minute Lima's clock showed at `at` ("8:45"), as the clinic reads it. */
function limaClock(at: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Lima', hour: 'numeric', minute: '2-digit', hour12: true }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('hour')}:${get('minute')}`;
}

describe('dates in the clinic’s locale and zone, whatever the browser’s', () => {
  it('shows es-PE dates on Lima’s clock in a browser set to English in Tokyo', async () => {
    const patient = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Huamán',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    const message = await api('messages.send', { patientId: patient.id, mode: 'text', text: 'Hola' });

    const context = await e2e.browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo', viewport: { width: 1366, height: 768 } });
    // The clinic's sites (its zone and country) answer late, as on a busy machine: no date may be written on the
    // browser's clock meanwhile, not even for a moment.
    await context.route('**/api/call/sites.list', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue();
    });
    const page = await context.newPage();
    await page.goto(e2e.server.url);
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Tokyo');
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.getByTestId('nav-messages').click();
    const row = page.locator(`[data-testid="message-row"][data-id="${message.id}"]`);
    await row.waitFor();
    const text = await row.innerText();
    // Spanish weekday and month, "a. m."/"p. m.", Lima's hour (14 hours behind Tokyo), never the browser's English.
    expect(text).toMatch(/(lun|mar|mié|jue|vie|sáb|dom)\.?,? \d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|set|sept|oct|nov|dic)\.? \d{4}/);
    expect(text).toContain(limaClock(message.createdAt));
    expect(text).toMatch(/[ap]\.\s?m\./);
    expect(text).not.toMatch(/\b(AM|PM|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/);
    // The channel has no token yet: the queued message says it waits for that, in words.
    expect(await row.getByTestId('message-reason').innerText()).toContain('Espera');
    await page.screenshot({ path: '.tmp-shot/locale-en-e2e.browser.png' });
    await context.close();
  }, 60_000);
});
