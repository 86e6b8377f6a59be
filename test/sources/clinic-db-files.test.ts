import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { KEY_FILE, keyFileBox } from '../../src/main/core/secrets/key-file-box';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { samplePdf } from '../documents/pdf-tools';

// A clinic-database source names its files by path, and anyone who can edit the query decides those paths. Avisa
// must read only PDFs under the folder configured for the source, and never its own data folder or database.


const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function clinicApp() {
  const dataDir = tempDir();
  const app = await startCore(dataDir, { secretBox: keyFileBox(dataDir) });
  cores.push(app.core);
  await app.call('setup.complete', {
    clinicName: 'Clínica',
    sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  return app;
}

function resultsSource(file: string, fileBaseDir: string, query = "SELECT id AS result_id, dni AS document_number, '2026-11-20 10:00:00' AS approved_at, ruta AS file_path FROM resultados WHERE id > :cursor") {
  return {
    enabled: true,
    kind: 'results' as const,
    connection: { driver: 'sqlite' as const, file },
    query,
    cursorColumn: 'result_id',
    initialCursor: 0,
    keyPrefix: 'clinic-db',
    timeZone: 'America/Lima',
    statusMap: {},
    fileBaseDir,
    pollSeconds: 5,
    timeoutSeconds: 10,
    writeBack: null,
  };
}

describe('files named by a clinic-database source', () => {
  it('reads only PDFs under the configured folder: not Avisa’s key, not ../, not a link out, not another file type', async () => {
    const app = await clinicApp();
    const PDF = await samplePdf();
    const share = tempDir('avisa-share-');
    const outside = tempDir('avisa-outside-');
    writeFileSync(join(share, 'ok.pdf'), PDF);
    writeFileSync(join(outside, 'other.pdf'), PDF);
    writeFileSync(join(share, 'notes.txt'), 'id_rsa-like secret');
    mkdirSync(join(share, 'sub'));
    symlinkSync(join(outside, 'other.pdf'), join(share, 'sub', 'link.pdf'));
    symlinkSync(join(app.dataDir, KEY_FILE), join(share, 'key.pdf'));

    const clinicFile = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(clinicFile);
    clinic.exec('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, ruta TEXT)');
    const paths = [
      join(app.dataDir, KEY_FILE),
      '../../../../../../' + join(app.dataDir, KEY_FILE),
      join(outside, 'other.pdf'),
      'sub/link.pdf',
      'key.pdf',
      'notes.txt',
      'ok.pdf',
    ];
    paths.forEach((p, i) => clinic.prepare('INSERT INTO resultados VALUES (?, ?, ?)').run(i + 1, `4011122${i}`, p));
    clinic.close();

    await app.call('sources.clinicDb.set', { kind: 'results', config: resultsSource(clinicFile, share) });
    await expect.poll(async () => (await app.call('results.review', {})).total, { timeout: 15_000 }).toBe(paths.length);
    const { rows } = await app.call('results.review', {});
    const key = readFileSync(join(app.dataDir, KEY_FILE));
    for (const row of rows) {
      const refused = row.code === 'unreadable' || row.code === 'not_pdf';
      // Only ok.pdf is read (it waits for its unknown patient); everything else is refused and never copied.
      if (row.code === 'unknown_patient') {
        const doc = await app.call('results.document', { id: row.id, of: 'review' });
        expect(Buffer.from(doc.base64, 'base64')).toEqual(PDF);
        continue;
      }
      expect(refused, `${row.code}: ${row.reason}`).toBe(true);
      const shown = await app.core.invoke('results.document', { id: row.id, of: 'review' });
      expect(shown.ok).toBe(false);
      if (shown.ok) expect(Buffer.from((shown.result as { base64: string }).base64, 'base64')).not.toEqual(key);
    }
    expect(rows.filter((r) => r.code === 'unknown_patient')).toHaveLength(1);
    expect(rows.find((r) => r.code === 'unreadable')?.reason).toMatch(/fuera de la carpeta|carpeta de archivos/);
  }, 30_000);

  it('with no folder configured, no path is read at all', async () => {
    const app = await clinicApp();
    const share = tempDir('avisa-share-');
    writeFileSync(join(share, 'ok.pdf'), await samplePdf());
    const clinicFile = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(clinicFile);
    clinic.exec('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, ruta TEXT)');
    clinic.prepare('INSERT INTO resultados VALUES (1, ?, ?)').run('40111222', join(share, 'ok.pdf'));
    clinic.close();
    await app.call('sources.clinicDb.set', { kind: 'results', config: resultsSource(clinicFile, '') });
    await expect.poll(async () => (await app.call('results.review', {})).total, { timeout: 15_000 }).toBe(1);
    const [row] = (await app.call('results.review', {})).rows;
    expect(row?.code).toBe('unreadable');
    expect(row?.reason).toMatch(/configure/);
  }, 30_000);
});

describe("Avisa's own database as the clinic's", () => {
  it('is refused in the data folder and as a copy elsewhere; the secrets table is never read', async () => {
    const app = await clinicApp();
    await app.call('secrets.set', { name: 'cloudApi.accessToken', value: 'EAAG-secret-token' });
    const query = 'SELECT name AS result_id, value AS document_number FROM secrets WHERE 1 = 1 OR :cursor IS NULL';
    const own = join(app.dataDir, DATABASE_FILE);
    const copy = join(tempDir('avisa-copy-'), 'clinica.sqlite');
    // A consistent copy of the live database, as a backup tool would make it.
    const live = new Database(own, { readonly: true });
    await live.backup(copy);
    live.close();

    for (const file of [own, copy]) {
      await app.call('sources.clinicDb.set', { kind: 'results', config: { ...resultsSource(file, ''), enabled: false, query } });
      const test = await app.call('sources.clinicDb.test', { kind: 'results' });
      expect(test.ok, file).toBe(false);
      if (!test.ok) expect(test.es).toMatch(/base de datos de Avisa/);
      expect(JSON.stringify(test)).not.toContain('cloudApi.accessToken');
    }
  }, 30_000);
});
