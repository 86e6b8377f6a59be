import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

const e2e = useE2e({ server: false });

describe('first run in a browser (server mode)', () => {
  it('completes the wizard in demo mode and sees the Panel fill with messages', async () => {
    await e2e.startServer();
    const { page, errors } = await e2e.openPage();
    await page.getByTestId('wizard-clinic-name').waitFor();
    expect(page.url()).not.toContain('token='); // the token leaves the address bar
    await page.getByTestId('wizard-demo').click();
    await page.getByTestId('wizard-finish').click();

    await page.getByText('DEMO', { exact: true }).first().waitFor();
    await expect
      .poll(async () => Number((await page.getByTestId('panel-sent-value').innerText()).replace(/\D/g, '')), {
        timeout: 45_000,
        interval: 500,
      })
      .toBeGreaterThan(3);
    await expect
      .poll(async () => parseFloat((await page.getByTestId('panel-delivered-value').innerText()).replace(',', '.')), {
        timeout: 30_000,
        interval: 500,
      })
      .toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps the data after a restart and refuses the API without the token', async () => {
    const dataDir = tempDir();
    const first = await startServerProcess(dataDir);
    const setup = await fetch(`${first.origin}/api/call/setup.complete`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${first.token}` },
      body: JSON.stringify({
        clinicName: 'Clínica Norte',
        sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      }),
    });
    expect(await setup.json()).toMatchObject({ ok: true, result: { setupComplete: true } });
    await first.stop();

    const second = await startServerProcess(dataDir);
    expect(second.token).toBe(first.token);
    const status = await fetch(`${second.origin}/api/call/app.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${second.token}` },
      body: '{}',
    });
    expect(await status.json()).toMatchObject({ ok: true, result: { clinicName: 'Clínica Norte' } });
    expect((await fetch(`${second.origin}/api/call/app.status`, { method: 'POST', body: '{}' })).status).toBe(401);
    await second.stop();
  }, 60_000);
});
