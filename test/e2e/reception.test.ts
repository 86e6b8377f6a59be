import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from './fixture';
import { oneSiteClinic } from '../helpers/fixtures';

// The stand-in prints what the real cloudflared prints and forwards HTTP like the tunnel does.
const STANDIN = resolve(__dirname, '../fakes/cloudflared-bin/cloudflared');

const e2e = useE2e({
  clinic: oneSiteClinic(),
  cloudApi: {
    autoStatuses: false,
    appSubscribed: false,
  },
});

describe('Ajustes → Recepción de estados y respuestas, in a browser', () => {
  it('turns on a quick tunnel, shows the address Meta accepted, proves reception, and warns when set to none', async () => {
    const { page, errors } = await e2e.openPage();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-whatsapp').click();
    const card = page.getByTestId('settings-webhook');
    await card.waitFor();
    expect(await card.innerText()).toContain('Recepción de estados y respuestas');
    expect(await page.getByTestId('reception-registered').innerText()).toContain('Todavía no');

    await page.getByTestId('reception-mode-tunnel').check();
    await page.getByTestId('reception-tunnel-quick').check();
    await page.getByTestId('reception-cloudflared-path').fill(STANDIN);
    await page.getByTestId('reception-save').click();

    await expect.poll(() => page.getByTestId('reception-tunnel-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('up');
    await expect.poll(() => page.getByTestId('reception-address').innerText(), { timeout: 20_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    const address = await page.getByTestId('reception-address').innerText();
    await expect.poll(() => page.getByTestId('reception-registered').innerText(), { timeout: 20_000 }).toContain(address);
    expect(e2e.fake.overrides).toMatchObject({ phoneNumber: address, subscribed: true });

    await page.getByTestId('reception-test').click();
    await page.getByTestId('reception-test-result').waitFor();
    expect(await page.getByTestId('reception-test-result').getAttribute('data-ok')).toBe('true');
    await expect.poll(() => page.getByTestId('reception-last-webhook').innerText(), { timeout: 10_000 }).toMatch(/hace \d+ min/);
    expect(await page.getByTestId('reception-refused').innerText()).toBe('0');

    await page.getByTestId('reception-mode-none').check();
    await expect.poll(() => page.getByTestId('reception-form').innerText(), { timeout: 10_000 }).toContain('los mensajes quedarán en «Enviado»');
    await page.getByTestId('reception-save').click();
    await expect.poll(() => page.getByTestId('reception-address').innerText(), { timeout: 10_000 }).toBe('—');
    expect(errors).toEqual([]);
  }, 120_000);
});
