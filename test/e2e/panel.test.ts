import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useE2e } from './fixture';

const e2e = useE2e({ server: false });

const digits = (s: string) => Number(s.replace(/\D/g, ''));

describe('the Panel in a browser (server mode, demo clinic)', () => {
  it('shows real figures, changes them with the filters and downloads them as CSV', async () => {
    await e2e.startServer();
    const { page, errors } = await e2e.openPage({ acceptDownloads: true });
    await page.getByTestId('wizard-demo').click();
    await page.getByTestId('wizard-finish').click();

    const sent = page.getByTestId('panel-sent-value');
    await expect.poll(async () => digits(await sent.innerText()), { timeout: 45_000, interval: 500 }).toBeGreaterThan(3);
    // Delivery latencies exist once the demo channel has delivered something: the median shows a range, not "—".
    await expect
      .poll(async () => page.getByTestId('panel-median-delivery-value').innerText(), { timeout: 30_000, interval: 500 })
      .toMatch(/\d.*(s|min|h)/);

    // Only the Cloud API: the demo clinic sends nothing through it.
    await page.getByTestId('panel-channel').selectOption('cloud-api');
    await expect.poll(async () => digits(await sent.innerText()), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('panel-channel').selectOption('demo');
    await expect.poll(async () => digits(await sent.innerText()), { timeout: 10_000 }).toBeGreaterThan(3);

    // Broken down by channel, the one row is the demo channel; by kind, reminders and results appear.
    await page.getByTestId('panel-breakdown').selectOption('channel');
    await expect.poll(async () => page.getByTestId('panel-breakdown-table').innerText(), { timeout: 10_000 }).toContain('Demo');
    await page.getByTestId('panel-breakdown').selectOption('kind');
    await expect.poll(async () => page.getByTestId('panel-breakdown-table').innerText(), { timeout: 10_000 }).toMatch(/Recordatorio|Resultado/);

    // A date range with nothing in it empties the Panel.
    await page.getByTestId('panel-from').fill('2020-01-01');
    await page.getByTestId('panel-to').fill('2020-01-07');
    await expect.poll(async () => digits(await sent.innerText()), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('panel-to').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await expect.poll(async () => digits(await sent.innerText()), { timeout: 10_000 }).toBeGreaterThan(3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('panel-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^avisa-panel-2020-01-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain('Panel de mensajes');
    expect(csv).toContain('Canal: Demo');
    expect(csv).toMatch(/Totales;Mensajes;Enviados/);
    expect(errors).toEqual([]);
  }, 150_000);
});
