import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicDbSourceSettings } from '../../src/shared/api';
import { editClinicDatabase } from '../helpers/clinic-agenda';
import { labClinic, registerAna, resultsDatabase, resultsShare, resultsSource, type Clinic } from '../helpers/clinic-results';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// Anyone who can write a row into the clinic's results table (or edit the query) decides what "approved" says. Like a
// result from an HL7 sender the clinic did not list, a result from the clinic's database waits in Por revisar for a
// person until the clinic ticks "trust the results of this database".

async function clinicApp(): Promise<Clinic> {
  const app = await labClinic();
  await registerAna(app);
  return app;
}

function source(connection: ClinicDbSourceSettings['connection'], share: string, trustedResults?: boolean): ClinicDbSourceSettings {
  return resultsSource(connection, share, trustedResults === undefined ? {} : { trustedResults });
}

const codes = async (app: Clinic) => (await app.call('results.review', {})).rows.map((r) => r.code).sort();

/** The same story against any database: untrusted by default, a person's approval lets it go on, trust lets the next go. */
async function untrustedThenTrusted(app: Clinic, connection: ClinicDbSourceSettings['connection'], share: string, addRow: (id: number) => Promise<void>) {
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
    const share = await resultsShare();
    const file = resultsDatabase();
    const addRow = async (id: number) =>
      editClinicDatabase(file, 'INSERT INTO resultados VALUES (?, ?, ?, ?)', id, '45678912', '2026-11-20 10:00:00', 'hemograma.pdf');
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
    const share = await resultsShare();
    const db = client as pg.Client;
    const s = server as PgServer;
    await db.query('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TIMESTAMP, ruta TEXT)');
    const addRow = async (id: number) =>
      void (await db.query('INSERT INTO resultados VALUES ($1, $2, $3, $4)', [id, '45678912', '2026-11-20 10:00:00', 'hemograma.pdf']));
    await untrustedThenTrusted(app, { driver: 'postgres', host: s.host, port: s.port, database: s.database, user: s.user, ssl: false }, share, addRow);
  }, 60_000);
});
