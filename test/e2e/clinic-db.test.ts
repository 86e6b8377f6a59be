import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { clinicAgenda } from '../helpers/clinic-agenda';
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

  it('lists an appointment with an unknown site with its reason; mapping the code and «Procesar de nuevo» takes it', async () => {
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const file = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, inicio TEXT, sede TEXT)',
      'INSERT INTO citas VALUES (1, ?, ?, ?, ?, ?)',
      [['40333444', 'Luis', 'Rojas', `${day} 09:30:00`, 'NORTE-2']],
    );

    const own = await e2e.startServer(tempDir());
    const api = (name: string, body: unknown) =>
      fetch(`${own.origin}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${own.token}` }, body: JSON.stringify(body) });
    await api('setup.complete', {
      clinicName: 'Clínica',
      sites: [
        { name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' },
        { name: 'Sede Norte', country: 'PE', timeZone: 'America/Lima' },
      ],
      services: [{ name: 'Consulta' }],
      channel: 'cloud-api',
    });
    await api('sources.clinicDb.set', {
      kind: 'appointments',
      config: {
        enabled: true,
        kind: 'appointments',
        connection: { driver: 'sqlite', file },
        query: `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          '987333444' AS phone, inicio AS starts_at, 'booked' AS status, sede AS site FROM citas WHERE id > :cursor ORDER BY id`,
        cursorColumn: 'appointment_id',
        timeZone: 'America/Lima',
        pollSeconds: 5,
      },
    });
    const page = await e2e.browser.newPage();
    try {
      await page.goto(own.url);
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-tab-sources').click();
      await page.getByTestId('db-kind-appointments').first().click();
      const row = page.getByTestId('db-refused-row');
      await expect.poll(async () => row.count(), { timeout: 15_000 }).toBe(1);
      expect(await row.getByTestId('db-refused-reason').textContent()).toMatch(/«NORTE-2» no existe en Avisa/);
      expect(await row.textContent()).toContain('Luis Rojas');

      await page.getByTestId('db-site-code-add').click();
      await page.getByTestId('db-site-code-0').fill('NORTE-2');
      await page.getByTestId('db-site-code-site-0').selectOption({ label: 'Sede Norte' });
      await page.getByTestId('db-site-codes-save').click();
      await expect.poll(async () => (await (await api('settings.get', {})).json()).result.clinicDb.appointments.siteCodes.length, { timeout: 10_000 }).toBe(1);
      await row.getByTestId('db-refused-retry').click();
      await expect.poll(async () => (await page.getByTestId('db-refused-outcome').textContent()) ?? '', { timeout: 10_000 }).toMatch(/Cita tomada/);
      await expect.poll(async () => row.count(), { timeout: 10_000 }).toBe(0);

      // The results tab: the trust checkbox is off by default and stays as saved.
      await page.getByTestId('db-kind-results').first().click();
      expect(await page.getByTestId('db-trusted-results').isChecked()).toBe(false);
    } finally {
      await page.close();
    }
  }, 90_000);
});
