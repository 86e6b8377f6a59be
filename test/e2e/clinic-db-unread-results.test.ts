import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import { useE2e } from './fixture';

// Ajustes → Fuentes de datos → Base de datos de la clínica → Resultados: the result rows Avisa could not read are
// listed with the reason in words and the technical detail on its own line, for whoever fixes the clinic's system.

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica Andina',
    sites: [{ name: 'Sede Lima', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'demo',
  },
});

describe('clinic-database result rows that cannot be read, in Ajustes', () => {
  it('are listed under Resultados with their reason and the technical detail', async () => {
    const file = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(file);
    clinic.exec('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)');
    clinic.prepare('INSERT INTO resultados VALUES (21, ?, ?, NULL)').run('40111222', '2026-11-20 10:00:00');
    clinic.prepare('INSERT INTO resultados VALUES (22, ?, ?, ?)').run('40333444', 'pendiente', 'informe.pdf');
    clinic.close();
    await e2e.api('sources.clinicDb.set', {
      kind: 'results',
      config: {
        enabled: true,
        kind: 'results',
        connection: { driver: 'sqlite', file },
        query: 'SELECT id AS result_id, dni AS document_number, aprobado AS approved_at, ruta AS file_path FROM resultados WHERE id > :cursor ORDER BY id',
        cursorColumn: 'result_id',
        initialCursor: 0,
        keyPrefix: 'clinic-db',
        timeZone: 'America/Lima',
        statusMap: {},
        fileBaseDir: tempDir('avisa-share-'),
        pollSeconds: 5,
        timeoutSeconds: 10,
        writeBack: null,
      },
    });
    await expect.poll(async () => (await e2e.api('clinicDb.refused', {})).length, { timeout: 20_000 }).toBe(2);

    const { page, errors } = await e2e.openPage();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-sources').click();
    await page.getByTestId('db-kind-results').first().click();
    const list = page.getByTestId('db-refused-results');
    await list.getByTestId('db-refused-row').nth(1).waitFor();
    const rows = await list.getByTestId('db-refused-row').allInnerTexts();
    const missingFile = rows.find((r) => r.includes('Resultado n.º 21'));
    expect(missingFile).toContain('La fila del resultado no indica su archivo PDF.');
    expect(missingFile).toMatch(/Detalle técnico: neither file_path nor file_blob/);
    const badDate = rows.find((r) => r.includes('Resultado n.º 22'));
    expect(badDate).toContain('La fecha de aprobación del resultado falta o no se entiende como fecha.');
    expect(badDate).toContain('Detalle técnico: approved_at = "pendiente"');
    // Appointments keep their own list: none of these rows is shown as an appointment.
    expect(await page.getByTestId('db-refused').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);
});
