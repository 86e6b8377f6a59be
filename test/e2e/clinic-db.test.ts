import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

const e2e = useE2e({ server: false });

describe('clinic database settings in the browser', () => {
  it('saves a SQLite source and "Probar consulta" shows its rows, or the database error', async () => {
    const file = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(file);
    clinic.exec(`CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)`);
    clinic.prepare('INSERT INTO resultados VALUES (7, ?, ?, ?)').run('40111222', '2026-11-20 10:00:00', '/compartido/r7.pdf');
    clinic.close();

    await e2e.startServer();
    await fetch(`${e2e.server.origin}/api/call/setup.complete`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${e2e.server.token}` },
      body: JSON.stringify({
        clinicName: 'Clínica',
        sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      }),
    });
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
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
