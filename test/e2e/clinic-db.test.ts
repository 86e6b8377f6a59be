import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

let browser: Browser | null = null;
let server: RunningServer | null = null;
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('clinic database settings in the browser', () => {
  it('saves a SQLite source and "Probar consulta" shows its rows, or the database error', async () => {
    const file = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(file);
    clinic.exec(`CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)`);
    clinic.prepare('INSERT INTO resultados VALUES (7, ?, ?, ?)').run('40111222', '2026-11-20 10:00:00', '/compartido/r7.pdf');
    clinic.close();

    server = await startServerProcess(tempDir());
    await fetch(`${server.origin}/api/call/setup.complete`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: JSON.stringify({
        clinicName: 'Clínica',
        sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      }),
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('db-kind-results').first().click();
    await page.getByTestId('db-driver').first().selectOption('sqlite');
    await page.getByTestId('db-file').first().fill(file);
    await page
      .getByTestId('db-query')
      .first()
      .fill('SELECT id AS result_id, dni AS document_number, aprobado AS approved_at, ruta AS file_path FROM resultados WHERE id > :cursor');
    await page.getByTestId('db-save').first().click();
    await page.getByTestId('db-test').first().click();
    await expect.poll(async () => (await page.getByTestId('db-test-result').first().textContent()) ?? '', { timeout: 10_000 }).toContain('40111222');

    await page.getByTestId('db-file').first().fill(join(tempDir(), 'missing', 'nada.sqlite'));
    await page.getByTestId('db-save').first().click();
    await page.getByTestId('db-test').first().click();
    await expect.poll(async () => (await page.getByTestId('db-test-error').first().textContent()) ?? '', { timeout: 10_000 }).toMatch(/base de datos/);
  }, 60_000);
});
