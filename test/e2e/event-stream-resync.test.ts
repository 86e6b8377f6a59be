import { describe, expect, it } from 'vitest';
import { oneSiteClinic } from '../helpers/fixtures';
import { quietPort } from '../helpers/ports';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

// A page stays open while the server restarts (an update, a power cut). Its event stream reconnects by itself with
// the last event id it saw; the new run cannot replay what came before it and answers `event: resync`. Whatever
// changed while the page was not listening must show without a reload of the page.

const e2e = useE2e({ server: false });

describe('the event stream after the server restarted (browser, server mode)', () => {
  it('Pacientes shows a patient added while the page was not listening, once the server says resync', async () => {
    const dataDir = tempDir('avisa-resync-');
    // Restarted below on the same address: a port no other socket is given while the server is down.
    const first = await e2e.startServer(dataDir, {}, { args: ['--port', String(await quietPort())] });
    await e2e.api('setup.complete', oneSiteClinic());

    const { page, errors } = await e2e.openPage({ viewport: { width: 1366, height: 768 } }, false);
    // Lets the stream through until told to hold it: then its reconnection waits for `release`.
    let holding = false;
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reconnections = 0;
    await page.route('**/api/events', async (route) => {
      if (holding) {
        reconnections += 1;
        await held;
      }
      await route.continue();
    });
    // Counts the stream's `resync` events as the page receives them (the browser sends Last-Event-ID below what the
    // test can see), so the test knows the list came back through resync and not some other reload.
    await page.addInitScript(() => {
      const seen = window as unknown as { resyncs: number };
      seen.resyncs = 0;
      const Browsers = window.EventSource;
      window.EventSource = class extends Browsers {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          this.addEventListener('resync', () => (seen.resyncs += 1));
        }
      };
    });
    const resyncs = () => page.evaluate(() => (window as unknown as { resyncs: number }).resyncs);
    const streamOpen = page.waitForResponse((r) => r.url().endsWith('/api/events'));
    await page.goto(first.url);
    await streamOpen;
    await page.getByTestId('nav-patients').click();
    await page.getByText('No encontramos pacientes.').waitFor();

    // Heard live: the stream now has an event id to resume from.
    await e2e.api('patients.create', { firstNames: 'Luis', lastNames: 'Quispe Rojas', documentType: 'DNI', documentNumber: '40112233', phone: '912 345 678' });
    const rowOf = (name: string) => page.getByTestId('patient-row').filter({ hasText: name });
    await expect.poll(() => rowOf('Quispe Rojas').count(), { timeout: 10_000 }).toBe(1);

    // The server restarts on the same address; the page's stream tries to reconnect and is held meanwhile.
    holding = true;
    const port = new URL(first.origin).port;
    await first.stop();
    await e2e.startServer(dataDir, {}, { args: ['--port', port] });
    await expect.poll(() => reconnections, { timeout: 30_000 }).toBeGreaterThan(0);

    // Added while the page was not listening: its event reached nobody.
    await e2e.api('patients.create', { firstNames: 'Eva', lastNames: 'Condori Paz', documentType: 'DNI', documentNumber: '40556677', phone: '912 345 600' });
    expect(await resyncs()).toBe(0);
    release();
    await expect.poll(resyncs, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => rowOf('Condori Paz').count(), { timeout: 20_000 }).toBe(1);
    expect(await rowOf('Quispe Rojas').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 90_000);
});
