import { afterAll, describe, expect, it } from 'vitest';
import { createServer, connect } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { siu } from '../sources/hl7-fixtures';

let browser: Browser | null = null;
let server: RunningServer | null = null;
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('HL7 settings in the browser', () => {
  it('turns the listener on from Ajustes and it answers a SIU with AA', async () => {
    server = await startServerProcess(tempDir());
    const headers = { Authorization: `Bearer ${server.token}` };
    await fetch(`${server.origin}/api/call/setup.complete`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        clinicName: 'Clínica San Pablo',
        sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      }),
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-sources').click();
    const port = await freePort();
    await page.getByTestId('hl7-enabled').check();
    await page.getByTestId('hl7-port').fill(String(port));
    await page.getByTestId('hl7-save').click();
    await expect.poll(async () => (await page.getByTestId('hl7-state').textContent()) ?? '', { timeout: 10_000 }).toContain(String(port));

    const ack = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(siu('S12', { start: '20300617084500' }), 'latin1'), Buffer.from([0x1c, 0x0d])])),
      );
      let data = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (data.includes(0x1c)) {
          socket.end();
          resolve(data.toString('latin1'));
        }
      });
      socket.on('error', reject);
    });
    expect(ack).toMatch(/MSA\|AA\|/);
  }, 60_000);
});
