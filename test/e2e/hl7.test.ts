import { describe, expect, it } from 'vitest';
import { sendHl7 } from '../helpers/mllp';
import { withFreePort } from '../helpers/ports';
import { siu } from '../sources/hl7-fixtures';
import { useE2e } from './fixture';

const e2e = useE2e({ server: false });

describe('HL7 settings in the browser', () => {
  it('turns the listener on from Ajustes and it answers a SIU with AA', async () => {
    await e2e.startServer();
    const headers = { Authorization: `Bearer ${e2e.server.token}` };
    await fetch(`${e2e.server.origin}/api/call/setup.complete`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        clinicName: 'Clínica San Pablo',
        sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      }),
    });
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('hl7-enabled').check();
    // Typed as a clinic would (a port, never 0). When another socket took it before the listener bound it, the server
    // logs so and the state stays "not listening": then another port.
    const port = await withFreePort(async (port) => {
      await page.getByTestId('hl7-port').fill(String(port));
      await page.getByTestId('hl7-save').click();
      const busy = `EADDRINUSE: address already in use 127.0.0.1:${port}`;
      const outcome = async () => {
        if (e2e.server.output().includes(busy)) return 'busy';
        return ((await page.getByTestId('hl7-state').textContent()) ?? '').includes(String(port)) ? 'listening' : 'waiting';
      };
      await expect.poll(outcome, { timeout: 10_000 }).not.toBe('waiting');
      if ((await outcome()) === 'busy') throw new Error(busy);
      return port;
    });

    const ack = await sendHl7(port, siu('S12', { start: '20300617084500' }));
    expect(ack).toMatch(/MSA\|AA\|/);
  }, 60_000);
});
