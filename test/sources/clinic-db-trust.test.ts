import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import type { ClinicDbSourceSettings } from '../../src/shared/api';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { samplePdf } from '../documents/pdf-tools';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// Anyone who can write a row into the clinic's results table (or edit the query) decides what "approved" says. Like a
// result from an HL7 sender the clinic did not list, a result from the clinic's database waits in Por revisar for a
// person until the clinic ticks "trust the results of this database".

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function clinicApp() {
  const app = await startCore();
  cores.push(app.core);
  await app.call('setup.complete', {
    clinicName: 'Clínica',
    sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  await app.call('patients.create', {
    firstNames: 'Ana María',
    lastNames: 'Quispe Huamán',
    documentType: 'DNI',
    documentNumber: '45678912',
    phone: '987654321',
    consent: true,
  });
  return app;
}

const QUERY = `SELECT id AS result_id, dni AS document_number, aprobado AS approved_at, ruta AS file_path
  FROM resultados WHERE id > :cursor ORDER BY id`;

function source(connection: ClinicDbSourceSettings['connection'], share: string, trustedResults?: boolean): ClinicDbSourceSettings {
  return {
    enabled: true,
    kind: 'results',
    connection,
    query: QUERY,
    cursorColumn: 'result_id',
    initialCursor: 0,
    keyPrefix: 'clinic-db',
    timeZone: 'America/Lima',
    statusMap: {},
    fileBaseDir: share,
    pollSeconds: 5,
    timeoutSeconds: 10,
    writeBack: null,
    ...(trustedResults === undefined ? {} : { trustedResults }),
  };
}

type App = Awaited<ReturnType<typeof clinicApp>>;
const codes = async (app: App) => (await app.call('results.review', {})).rows.map((r) => r.code).sort();

/** The same story against any database: untrusted by default, a person's approval lets it go on, trust lets the next go. */
async function untrustedThenTrusted(app: App, connection: ClinicDbSourceSettings['connection'], share: string, addRow: (id: number) => Promise<void>) {
  await addRow(1);
  const saved = await app.call('sources.clinicDb.set', { kind: 'results', config: source(connection, share) });
  expect(saved.results?.trustedResults).toBe(false);
  await expect.poll(() => codes(app), { timeout: 15_000 }).toEqual(['awaiting_approval']);
  const [held] = (await app.call('results.review', {})).rows;
  expect(held?.reason).toMatch(/apruébelo/);

  // A person approves it: past approval, signing stops only for want of a certificate.
  await app.call('results.approve', { id: held?.id ?? 0 });
  expect(await codes(app)).toEqual(['no_certificate']);

  await app.call('sources.clinicDb.set', { kind: 'results', config: source(connection, share, true) });
  await addRow(2);
  await expect.poll(() => codes(app), { timeout: 15_000 }).toEqual(['no_certificate', 'no_certificate']);
  expect((await app.call('settings.get', {})).clinicDb.results?.trustedResults).toBe(true);
}

describe('results from the clinic database', () => {
  it('wait for a person unless the clinic trusts that database — SQLite', async () => {
    const app = await clinicApp();
    const share = tempDir('avisa-share-');
    writeFileSync(join(share, 'hemograma.pdf'), await samplePdf());
    const file = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(file);
    clinic.exec('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)');
    clinic.close();
    const addRow = async (id: number) => {
      const db = new Database(file);
      db.prepare('INSERT INTO resultados VALUES (?, ?, ?, ?)').run(id, '45678912', '2026-11-20 10:00:00', 'hemograma.pdf');
      db.close();
    };
    await untrustedThenTrusted(app, { driver: 'sqlite', file }, share, addRow);
  }, 40_000);
});

const pgBin = findPgBin();
let server: PgServer | undefined;
let client: pg.Client | undefined;
beforeAll(async () => {
  if (!pgBin) return;
  server = await startPgServer(pgBin);
  client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await client.connect();
}, 120_000);
afterAll(async () => {
  await client?.end();
  server?.stop();
});

describe.skipIf(!pgBin)('results from the clinic database — PostgreSQL', () => {
  it('wait for a person unless the clinic trusts that database', async () => {
    const app = await clinicApp();
    const share = tempDir('avisa-share-');
    writeFileSync(join(share, 'hemograma.pdf'), await samplePdf());
    const db = client as pg.Client;
    const s = server as PgServer;
    await db.query('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TIMESTAMP, ruta TEXT)');
    const addRow = async (id: number) =>
      void (await db.query('INSERT INTO resultados VALUES ($1, $2, $3, $4)', [id, '45678912', '2026-11-20 10:00:00', 'hemograma.pdf']));
    await untrustedThenTrusted(app, { driver: 'postgres', host: s.host, port: s.port, database: s.database, user: s.user, ssl: false }, share, addRow);
  }, 60_000);
});
