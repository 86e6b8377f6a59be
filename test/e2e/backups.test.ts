import { existsSync, readdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'CL', timeZone: 'America/Santiago' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  },
});
const { api } = e2e;

describe('Ajustes → Copias de seguridad and Estado, in a browser', () => {
  it('saves the folder, takes a copy now, lists it, and shows the nightly job in the clinic’s zone', async () => {
    const folder = tempDir('avisa-e2e-backups-');
    const { page, errors } = await e2e.openPage();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-backups').click();
    const section = page.getByTestId('backup-section');
    await section.getByTestId('backup-folder').fill(folder);
    await section.getByTestId('backup-time').fill('21:30');
    await section.getByTestId('backup-save').click();
    await expect.poll(async () => (await api('backup.config', {})).folder, { timeout: 10_000 }).toBe(folder);

    await section.getByTestId('backup-now').click();
    await expect.poll(() => readdirSync(folder).filter((n) => n.startsWith('avisa-')).length, { timeout: 20_000 }).toBe(1);
    const name = readdirSync(folder).find((n) => n.startsWith('avisa-')) ?? '';
    expect(existsSync(`${folder}/${name}/manifest.json`)).toBe(true);
    await expect.poll(() => section.getByTestId('backup-list').innerText(), { timeout: 10_000 }).toContain(name);
    await expect.poll(() => section.getByTestId('backup-health').innerText(), { timeout: 10_000 }).toMatch(/Última copia verificada/);

    const jobs = page.getByTestId('jobs-table');
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-backups').click();
    const nightly = jobs.locator('tr[data-job="backup.nightly"]');
    await expect.poll(() => nightly.innerText(), { timeout: 10_000 }).toContain('America/Santiago');
    expect(await nightly.innerText()).toContain('30 21 * * *');
    expect(await nightly.innerText()).toContain('Copia de seguridad');
    expect(await jobs.locator('tr[data-job="reminders.advance"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('says in the header when the backup failed, with the reason', async () => {
    await api('backup.setConfig', { folder: tempDir('avisa-gone-'), time: '22:00', keepDaily: 14, keepWeekly: 8, encrypt: false });
    const status = await api('app.status', {});
    expect(status.operations?.backup.state).not.toBe('failed');
    // The folder is removed after it was chosen: the next copy cannot be written.
    const cfg = await api('backup.config', {});
    rmSync(cfg.folder, { recursive: true, force: true });
    const failed = await api('backup.runNow', {}).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/backup.failed/);
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    const banner = page.getByTestId('backup-banner');
    await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toMatch(/La copia de seguridad falló — No se encontró la carpeta de copias/);
    await page.close();
  }, 60_000);
});
