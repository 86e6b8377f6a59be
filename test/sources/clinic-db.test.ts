import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clinicDbSourceSchema,
  createClinicDbPoller,
  readBatch,
  testQuery,
  writeBack,
  writeBackAnswer,
  type ClinicDbConnection,
  type ClinicDbSourceConfig,
  type ClinicDbSourceInput,
  type CursorValue,
  type SourceAppointment,
  type SourceResult,
} from '../../src/main/core/sources/clinic-db';
import { tempDir } from '../helpers/temp';
import { findMariadb, startMysqlServer, type MysqlServer } from './mysql-server';
import { quietPort } from '../helpers/ports';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// The clinic-database source against real databases: PostgreSQL and MariaDB servers this file starts, and SQLite.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

type Cell = string | number | Buffer | null;

interface Backend {
  connection: ClinicDbConnection;
  exec(sql: string, values?: Cell[]): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Placeholder for the n-th (1-based) value in `exec`. */
  p(n: number): string;
  ddl: { serial: string; blob: string; instant: string };
}

// ---------- the two backends ----------

const pgBin = findPgBin();
if (!pgBin) {
  console.warn(
    'SKIPPED PostgreSQL clinic-database tests: no initdb/pg_ctl found (install the Debian package `postgresql`).',
  );
}

let pgServer: PgServer | undefined;
let pgAdmin: pg.Client | undefined;
let pgDbCounter = 0;

async function pgBackend(): Promise<Backend> {
  if (!pgServer || !pgAdmin) throw new Error('PostgreSQL not started');
  // A fresh database per test keeps the tests independent without restarting the server.
  const database = `clinic_${++pgDbCounter}`;
  await pgAdmin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ host: pgServer.host, port: pgServer.port, user: pgServer.user, database });
  await client.connect();
  clients.push(client);
  return {
    connection: { driver: 'postgres', host: pgServer.host, port: pgServer.port, database, user: pgServer.user, ssl: false },
    async exec(sql, values = []) {
      await client.query(sql, values);
    },
    async rows(sql) {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    },
    p: (n) => `$${n}`,
    ddl: { serial: 'SERIAL PRIMARY KEY', blob: 'BYTEA', instant: 'TIMESTAMPTZ' },
  };
}

const clients: pg.Client[] = [];

const mariadbBin = findMariadb();
if (!mariadbBin) {
  console.warn('SKIPPED MariaDB clinic-database tests: no mariadbd found (install the Debian package `mariadb-server`).');
}
let mysqlServer: MysqlServer | undefined;
let mysqlAdmin: mysql.Connection | undefined;
let mysqlDbCounter = 0;
const mysqlConnections: mysql.Connection[] = [];

async function mysqlBackend(): Promise<Backend> {
  if (!mysqlServer || !mysqlAdmin) throw new Error('MariaDB not started');
  const database = `clinic_${++mysqlDbCounter}`;
  await mysqlAdmin.query(`CREATE DATABASE ${database}`);
  const conn = await mysql.createConnection({ host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user, database });
  mysqlConnections.push(conn);
  return {
    connection: { driver: 'mysql', host: mysqlServer.host, port: mysqlServer.port, database, user: mysqlServer.user, ssl: false },
    async exec(sql, values = []) {
      await conn.query(sql, values);
    },
    async rows(sql) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
      return rows.map((r) => ({ ...r }));
    },
    p: () => '?',
    ddl: { serial: 'INTEGER PRIMARY KEY AUTO_INCREMENT', blob: 'LONGBLOB', instant: 'VARCHAR(40)' },
  };
}

function sqliteBackend(): Backend {
  const file = join(tempDir('avisa-clinic-'), 'clinica.db');
  const db = new Database(file);
  return {
    connection: { driver: 'sqlite', file },
    async exec(sql, values = []) {
      if (values.length === 0) db.exec(sql);
      else db.prepare(sql).run(...values);
    },
    async rows(sql) {
      return db.prepare(sql).all() as Record<string, unknown>[];
    },
    p: () => '?',
    ddl: { serial: 'INTEGER PRIMARY KEY', blob: 'BLOB', instant: 'TEXT' },
  };
}

beforeAll(async () => {
  if (pgBin) {
    pgServer = await startPgServer(pgBin);
    pgAdmin = new pg.Client({ host: pgServer.host, port: pgServer.port, user: pgServer.user, database: 'postgres' });
    await pgAdmin.connect();
  }
  if (mariadbBin) {
    mysqlServer = await startMysqlServer(mariadbBin);
    mysqlAdmin = await mysql.createConnection({ host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user });
  }
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
  await pgAdmin?.end().catch(() => undefined);
  pgServer?.stop();
  for (const conn of mysqlConnections.splice(0)) await conn.end().catch(() => undefined);
  await mysqlAdmin?.end().catch(() => undefined);
  await mysqlServer?.stop();
});

// ---------- the clinic's schema and the configured queries ----------

async function createResultsTable(b: Backend): Promise<void> {
  await b.exec(`CREATE TABLE resultados (
    id ${b.ddl.serial},
    tipo_doc TEXT, nro_doc TEXT NOT NULL, nombres TEXT, apellidos TEXT, celular TEXT,
    aprobado INTEGER NOT NULL DEFAULT 0, aprobado_en ${b.ddl.instant}, aprobado_por TEXT,
    ruta_pdf TEXT, pdf ${b.ddl.blob}, nro_orden TEXT, examen TEXT
  )`);
}

async function addResult(
  b: Backend,
  r: { doc: string; approved?: boolean; approvedAt?: string; path?: string; blob?: Buffer; order?: string },
): Promise<void> {
  await b.exec(
    `INSERT INTO resultados (tipo_doc, nro_doc, nombres, apellidos, celular, aprobado, aprobado_en, aprobado_por, ruta_pdf, pdf, nro_orden, examen)
     VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(b.p).join(', ')})`,
    [
      'DNI',
      r.doc,
      'Ana María',
      'Quispe Huamán',
      '987 654 321',
      r.approved === false ? 0 : 1,
      r.approvedAt ?? '2025-03-10 09:15:00-05',
      'Dr. Rojas',
      r.path ?? null,
      r.blob ?? null,
      r.order ?? null,
      'Hemograma',
    ],
  );
}

const resultsQuery = `
  SELECT id AS result_id, tipo_doc AS document_type, nro_doc AS document_number, nombres AS first_names,
         apellidos AS last_names, celular AS phone, aprobado_en AS approved_at, aprobado_por AS approved_by,
         ruta_pdf AS file_path, pdf AS file_blob, nro_orden AS accession_number, examen AS title
  FROM resultados
  WHERE aprobado = 1 AND id > :cursor  -- only approved results; ':' inside this comment is ignored
  ORDER BY id; -- a trailing semicolon and comment, as people paste queries`;

function resultsConfig(b: Backend, extra: Partial<ClinicDbSourceInput> = {}): ClinicDbSourceConfig {
  return clinicDbSourceSchema.parse({
    kind: 'results',
    connection: b.connection,
    query: resultsQuery,
    cursorColumn: 'result_id',
    initialCursor: 0,
    fileBaseDir: '/srv/lab',
    ...extra,
  });
}

async function createAppointmentsTable(b: Backend): Promise<void> {
  await b.exec(`CREATE TABLE citas (
    id_cita ${b.ddl.serial},
    dni TEXT NOT NULL, nombres TEXT, apellidos TEXT, telefono TEXT,
    sede TEXT, servicio TEXT, medico TEXT, inicio TEXT NOT NULL, zona TEXT, estado TEXT NOT NULL,
    confirmacion TEXT, observaciones TEXT, modificado INTEGER NOT NULL
  )`);
}

let version = 0;
async function addAppointment(
  b: Backend,
  a: { dni: string; start: string; status?: string; zone?: string | null; site?: string },
): Promise<void> {
  await b.exec(
    `INSERT INTO citas (dni, nombres, apellidos, telefono, sede, servicio, medico, inicio, zona, estado, confirmacion, observaciones, modificado)
     VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map(b.p).join(', ')})`,
    [
      a.dni,
      'Luis',
      'Paredes',
      '+56 9 6123 4567',
      a.site ?? 'Sede Centro',
      'Cardiología',
      'Dra. Soto',
      a.start,
      a.zone ?? null,
      a.status ?? 'PROGRAMADA',
      null,
      'traer análisis',
      ++version,
    ],
  );
}

const appointmentsQuery = `
  SELECT id_cita AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
         telefono AS phone, sede AS site, servicio AS service, medico AS professional, inicio AS starts_at,
         zona AS time_zone, estado AS status, modificado AS version
  FROM citas WHERE modificado > :cursor ORDER BY modificado`;

function appointmentsConfig(b: Backend, extra: Partial<ClinicDbSourceInput> = {}): ClinicDbSourceConfig {
  return clinicDbSourceSchema.parse({
    kind: 'appointments',
    connection: b.connection,
    query: appointmentsQuery,
    cursorColumn: 'version',
    initialCursor: 0,
    timeZone: 'America/Santiago',
    statusMap: { 'NO VINO': 'no_show' },
    writeBack: { table: 'citas', keyColumn: 'id_cita', column: 'confirmacion', confirmedValue: 'SI', cancelledValue: 'NO' },
    ...extra,
  });
}

function memoryCursor(initial: CursorValue | null = null) {
  let value = initial;
  return { get: () => value, set: (v: CursorValue) => void (value = v), peek: () => value };
}

// ---------- the specification, run against each database ----------

const backends: [string, () => Promise<Backend> | Backend, boolean][] = [
  ['SQLite', sqliteBackend, true],
  ['PostgreSQL', pgBackend, pgBin !== null],
  ['MariaDB', mysqlBackend, mariadbBin !== null],
];

for (const [name, makeBackend, available] of backends) {
  describe.skipIf(!available)(`clinic database source — ${name}`, () => {
    let b: Backend;
    beforeEach(async () => {
      b = await makeBackend();
      version = 0;
    });

    it('reads approved results incrementally: rows added later are read once, and nothing twice', async () => {
      await createResultsTable(b);
      await addResult(b, { doc: '45678912', path: 'r/1.pdf', order: 'ACC-1' });
      await addResult(b, { doc: '45678913', approved: false, path: 'r/2.pdf' });
      await addResult(b, { doc: '45678914', blob: PDF });
      const cursor = memoryCursor();
      const seen: SourceResult[] = [];
      const poller = createClinicDbPoller({
        config: resultsConfig(b),
        cursor,
        onBatch: (batch) => void seen.push(...(batch.records as SourceResult[])),
      });

      const first = await poller.pollNow();
      expect(first).toMatchObject({ ok: true, rowCount: 2, recordCount: 2, problemCount: 0 });
      expect(seen.map((r) => r.patient.documentNumber)).toEqual(['45678912', '45678914']);
      expect(Number(cursor.peek())).toBe(3);

      const [pathResult, blobResult] = seen;
      expect(pathResult).toMatchObject({
        kind: 'result',
        source: 'clinic-db',
        sourceKey: 'clinic-db:1',
        resultId: '1',
        approvedAt: Date.parse('2025-03-10T14:15:00Z'),
        approvedBy: 'Dr. Rojas',
        accessionNumber: 'ACC-1',
        title: 'Hemograma',
        corrected: false,
        file: { kind: 'path', path: '/srv/lab/r/1.pdf', roots: ['/srv/lab'] },
        patient: {
          documentType: 'DNI',
          documentTypeRaw: 'DNI',
          documentNumber: '45678912',
          firstNames: 'Ana María',
          lastNames: 'Quispe Huamán',
          phone: '987 654 321',
        },
      });
      expect(blobResult?.file.kind).toBe('bytes');
      expect(blobResult?.file.kind === 'bytes' && blobResult.file.bytes.equals(PDF)).toBe(true);

      expect(await poller.pollNow()).toMatchObject({ ok: true, rowCount: 0 });
      await addResult(b, { doc: '45678915', path: '/abs/4.pdf' });
      // The unapproved row becoming approved later has a smaller id than the cursor: the query's cursor column
      // decides what counts as new, which is why clinics use an approval sequence or time as the cursor.
      expect(await poller.pollNow()).toMatchObject({ ok: true, rowCount: 1 });
      expect(seen.map((r) => r.sourceKey)).toEqual(['clinic-db:1', 'clinic-db:3', 'clinic-db:4']);
      expect(seen[2]?.file).toEqual({ kind: 'path', path: '/abs/4.pdf', roots: ['/srv/lab'] });
      expect(await poller.pollNow()).toMatchObject({ ok: true, rowCount: 0 });
    });

    it('re-reads the same rows with the same keys when intake failed, and never moves the cursor past them', async () => {
      await createResultsTable(b);
      await addResult(b, { doc: '1', path: 'a.pdf' });
      await addResult(b, { doc: '2', path: 'b.pdf' });
      const config = resultsConfig(b);
      const cursor = memoryCursor();
      const batches: string[][] = [];
      let failNext = true;
      const poller = createClinicDbPoller({
        config,
        cursor,
        onBatch: (batch) => {
          batches.push(batch.records.map((r) => r.sourceKey));
          if (failNext) {
            failNext = false;
            throw new Error('disk full');
          }
        },
      });
      const failed = await poller.pollNow();
      expect(failed.ok).toBe(false);
      expect(!failed.ok && failed.failure.stage).toBe('intake');
      expect(cursor.peek()).toBeNull();
      expect(await poller.pollNow()).toMatchObject({ ok: true, rowCount: 2 });
      expect(batches).toEqual([
        ['clinic-db:1', 'clinic-db:2'],
        ['clinic-db:1', 'clinic-db:2'],
      ]);

      // Reading twice from the same cursor yields identical records: intake's upsert by key makes it one result.
      const again1 = await readBatch(config, 0);
      const again2 = await readBatch(config, 0);
      expect(again1.ok && again2.ok).toBe(true);
      if (again1.ok && again2.ok) expect(again2.batch.records).toEqual(again1.batch.records);
    });

    it('keeps a bad row as a problem with its reason and still moves past it', async () => {
      await createResultsTable(b);
      await addResult(b, { doc: '1' }); // no file at all
      await addResult(b, { doc: '2', path: 'ok.pdf' });
      const outcome = await readBatch(resultsConfig(b), null);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect((outcome.batch.records as SourceResult[]).map((r) => r.resultId)).toEqual(['2']);
      expect(outcome.batch.problems).toEqual([
        expect.objectContaining({ ref: '1', code: 'missing_file', detail: expect.stringContaining('file_path') }),
      ]);
      expect(Number(outcome.batch.cursor)).toBe(2);
    });

    it('normalises appointments: local times in the site zone across DST, offsets kept, statuses mapped', async () => {
      await createAppointmentsTable(b);
      // Chile left DST on 2025-04-06 (UTC-3 → UTC-4): the same wall-clock hour on either side.
      await addAppointment(b, { dni: '11', start: '2025-04-05 09:00:00' });
      await addAppointment(b, { dni: '12', start: '2025-04-07 09:00:00', status: 'Reprogramada' });
      await addAppointment(b, { dni: '13', start: '2025-04-07T09:00:00-05:00', status: 'cancelada' });
      await addAppointment(b, { dni: '14', start: '2025-04-07 09:00', zone: 'America/Mexico_City', status: 'NO VINO' });
      await addAppointment(b, { dni: '15', start: '2025-04-07 09:00', status: 'Atendido' });
      await addAppointment(b, { dni: '16', start: '2025-04-07 09:00', status: '¿?' });
      const outcome = await readBatch(appointmentsConfig(b), null);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const byDni = new Map(
        (outcome.batch.records as SourceAppointment[]).map((r) => [r.patient.documentNumber, r] as const),
      );
      expect(byDni.get('11')).toMatchObject({
        kind: 'appointment',
        sourceKey: 'clinic-db:1',
        appointmentId: '1',
        startsAt: Date.parse('2025-04-05T12:00:00Z'),
        timeZone: 'America/Santiago',
        status: 'booked',
        site: 'Sede Centro',
        service: 'Cardiología',
        professional: 'Dra. Soto',
        patient: { documentNumber: '11', firstNames: 'Luis', lastNames: 'Paredes', phone: '+56 9 6123 4567' },
      });
      expect(byDni.get('12')).toMatchObject({ startsAt: Date.parse('2025-04-07T13:00:00Z'), status: 'rescheduled' });
      expect(byDni.get('13')).toMatchObject({ startsAt: Date.parse('2025-04-07T14:00:00Z'), timeZone: null, status: 'cancelled' });
      expect(byDni.get('14')).toMatchObject({
        startsAt: Date.parse('2025-04-07T15:00:00Z'),
        timeZone: 'America/Mexico_City',
        status: 'no_show',
      });
      expect(byDni.get('15')?.status).toBe('attended');
      expect(outcome.batch.problems).toEqual([expect.objectContaining({ ref: '6', code: 'unknown_status' })]);
      expect(Number(outcome.batch.cursor)).toBe(6);
    });

    it('reads a changed appointment again under the same key when the cursor column moves', async () => {
      await createAppointmentsTable(b);
      await addAppointment(b, { dni: '21', start: '2025-06-02 10:00:00' });
      const config = appointmentsConfig(b);
      const cursor = memoryCursor();
      const seen: SourceAppointment[] = [];
      const poller = createClinicDbPoller({ config, cursor, onBatch: (x) => void seen.push(...(x.records as SourceAppointment[])) });
      await poller.pollNow();
      await b.exec(`UPDATE citas SET inicio = '2025-06-03 11:00:00', estado = 'REPROGRAMADA', modificado = 100`);
      await poller.pollNow();
      await poller.pollNow();
      expect(seen.map((a) => [a.sourceKey, a.status])).toEqual([
        ['clinic-db:1', 'booked'],
        ['clinic-db:1', 'rescheduled'],
      ]);
    });

    it('testQuery shows the first rows, or the database error in words', async () => {
      await createResultsTable(b);
      for (let i = 0; i < 7; i++) await addResult(b, { doc: `D${i}`, path: `${i}.pdf`, blob: i === 0 ? PDF : undefined });
      const good = await testQuery(resultsConfig(b), 3);
      expect(good.ok).toBe(true);
      if (good.ok) {
        expect(good.rows).toHaveLength(3);
        expect(good.missingColumns).toEqual([]);
        expect(good.records).toHaveLength(3);
        expect(good.columns).toContain('document_number');
        expect(good.rows[0]?.file_blob).toMatch(/bytes, PDF>$/);
      }

      const syntax = await testQuery(resultsConfig(b, { query: 'SELEC id FROM resultados WHERE id > :cursor' }));
      expect(syntax).toMatchObject({ ok: false, error: { code: 'bad_sql' } });
      expect(!syntax.ok && syntax.error.detail).toMatch(/syntax|SELEC/i);
      expect(!syntax.ok && syntax.error.es).toMatch(/consulta SQL/);

      const table = await testQuery(resultsConfig(b, { query: 'SELECT * FROM no_existe WHERE id > :cursor' }));
      expect(table).toMatchObject({ ok: false, error: { code: 'unknown_table_or_column' } });
      expect(!table.ok && table.error.detail).toMatch(/no_existe/);

      const missing = await testQuery(
        resultsConfig(b, { query: 'SELECT id AS result_id, nro_doc AS document_number FROM resultados WHERE id > :cursor' }),
      );
      expect(missing).toMatchObject({ ok: true, missingColumns: ['approved_at', 'file_path | file_blob'] });
      const read = await readBatch(
        resultsConfig(b, { query: 'SELECT id AS result_id, nro_doc AS document_number FROM resultados WHERE id > :cursor' }),
        null,
      );
      expect(read).toMatchObject({ ok: false, error: { code: 'missing_columns', detail: 'approved_at, file_path | file_blob' } });

      const param = await testQuery(resultsConfig(b, { query: 'SELECT * FROM resultados WHERE id > :desde' }));
      expect(param).toMatchObject({ ok: false, error: { code: 'unknown_parameter', detail: ':desde' } });

      const two = await testQuery(resultsConfig(b, { query: 'SELECT 1; DELETE FROM resultados' }));
      expect(two).toMatchObject({ ok: false, error: { code: 'bad_sql' } });

      // A "read" query that writes is stopped by the read-only transaction (or read-only file), not executed.
      const writes = await readBatch(
        resultsConfig(b, {
          query:
            b.connection.driver === 'postgres'
              ? 'DELETE FROM resultados WHERE id > :cursor RETURNING id AS result_id'
              : 'DELETE FROM resultados WHERE id > :cursor',
        }),
        null,
      );
      expect(writes).toMatchObject({ ok: false, error: { code: 'not_read_only' } });
      expect(Number((await b.rows('SELECT COUNT(*) AS n FROM resultados'))[0]?.n)).toBe(7);
    });

    it('writes an answer back into the one configured column of the one appointment', async () => {
      await createAppointmentsTable(b);
      await addAppointment(b, { dni: '31', start: '2025-06-02 10:00:00' });
      await addAppointment(b, { dni: '32', start: '2025-06-02 11:00:00' });
      const before = await b.rows('SELECT * FROM citas ORDER BY id_cita');
      const config = appointmentsConfig(b);

      expect(await writeBackAnswer(config, { appointmentId: '1', answer: 'confirmed' })).toEqual({ ok: true });
      const after = await b.rows('SELECT * FROM citas ORDER BY id_cita');
      expect(after[0]).toEqual({ ...before[0], confirmacion: 'SI' });
      expect(after[1]).toEqual(before[1]);

      // A hostile value is data, never SQL.
      const hostile = "NO'; DROP TABLE citas; --";
      expect(await writeBack(config, { appointmentId: '2', value: hostile })).toEqual({ ok: true });
      const hostileAfter = await b.rows('SELECT * FROM citas ORDER BY id_cita');
      expect(hostileAfter[1]).toEqual({ ...before[1], confirmacion: hostile });
      expect(hostileAfter[0]).toEqual(after[0]);

      expect(await writeBack(config, { appointmentId: '999', value: 'SI' })).toMatchObject({
        ok: false,
        error: { code: 'write_back_not_found' },
      });
    });

    it("refuses an administrator's own UPDATE, and rolls back one that hits several rows", async () => {
      await createAppointmentsTable(b);
      await addAppointment(b, { dni: '41', start: '2025-06-02 10:00:00' });
      await addAppointment(b, { dni: '41', start: '2025-06-03 10:00:00' });
      const before = await b.rows('SELECT * FROM citas ORDER BY id_cita');
      const wb = (w: { keyColumn?: string; sql?: string }) =>
        appointmentsConfig(b, { writeBack: { table: 'citas', keyColumn: 'id_cita', column: 'confirmacion', ...w } });

      for (const sql of [
        'UPDATE citas SET confirmacion = :value, observaciones = NULL WHERE id_cita = :id',
        'UPDATE citas SET confirmacion = :value WHERE id_cita = :id',
      ]) {
        expect(await writeBack(wb({ sql }), { appointmentId: '1', value: 'SI' }), sql).toMatchObject({
          ok: false,
          error: { code: 'write_back_refused' },
        });
      }
      expect(await b.rows('SELECT * FROM citas ORDER BY id_cita')).toEqual(before);

      // A key column that is not unique matches both rows: rolled back, nothing changed.
      expect(await writeBack(wb({ keyColumn: 'dni' }), { appointmentId: '41', value: 'SI' })).toMatchObject({
        ok: false,
        error: { code: 'write_back_too_many_rows' },
      });
      expect(await b.rows('SELECT * FROM citas ORDER BY id_cita')).toEqual(before);
    });
  });
}

// ---------- things only one database shows ----------

describe('clinic database source — SQLite specifics', () => {
  it('start() polls at once and drains rows; stop() waits for the poll in flight and stops the timer', async () => {
    const b = sqliteBackend();
    await createResultsTable(b);
    for (let i = 0; i < 5; i++) await addResult(b, { doc: `P${i}`, path: `${i}.pdf` });
    const cursor = memoryCursor();
    const batches: number[] = [];
    // LIMIT 2: the backlog is drained in batches, one poll right after another while the cursor moves.
    const config = resultsConfig(b, { query: resultsQuery.replace('ORDER BY id;', 'ORDER BY id LIMIT 2;'), pollSeconds: 60 });
    const poller = createClinicDbPoller({ config, cursor, onBatch: (x) => void batches.push(x.records.length) });
    poller.start();
    const drained = () => {
      const last = poller.status().lastOutcome;
      return last?.ok === true && last.rowCount === 0;
    };
    for (let i = 0; i < 200 && !drained(); i++) await new Promise((r) => setTimeout(r, 10));
    await poller.stop();
    expect(batches).toEqual([2, 2, 1]);
    expect(Number(cursor.peek())).toBe(5);
    expect(poller.status()).toMatchObject({ running: false, lastOutcome: { ok: true, rowCount: 0 } });
    await addResult(b, { doc: 'late', path: 'late.pdf' });
    // A second poller from the same cursor reads the late row: by then a poll left scheduled by the first (the drain
    // goes on at 0 ms while rows keep coming) would have read it too.
    const late: number[] = [];
    const second = createClinicDbPoller({ config, cursor: memoryCursor(cursor.peek()), onBatch: (x) => void late.push(x.records.length) });
    second.start();
    for (let i = 0; i < 200 && late.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await second.stop();
    expect(late).toEqual([1]);
    expect(batches).toEqual([2, 2, 1]);
  });

  it('reports a missing database file instead of creating an empty one', async () => {
    const config = clinicDbSourceSchema.parse({
      kind: 'results',
      connection: { driver: 'sqlite', file: join(tempDir(), 'no-such.db') },
      query: 'SELECT 1',
      cursorColumn: 'id',
    });
    expect(await testQuery(config)).toMatchObject({ ok: false, error: { code: 'file_not_found' } });
  });

  it('reports an unconfigured write-back', async () => {
    const b = sqliteBackend();
    expect(await writeBack(resultsConfig(b), { appointmentId: '1', value: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'write_back_not_configured' },
    });
  });
});

describe.skipIf(!pgBin)('clinic database source — PostgreSQL specifics', () => {
  it('reports a refused connection in words', async () => {
    const port = await quietPort();
    const config = clinicDbSourceSchema.parse({
      kind: 'results',
      connection: { driver: 'postgres', host: '127.0.0.1', port, database: 'x', user: 'x' },
      query: 'SELECT 1',
      cursorColumn: 'id',
      timeoutSeconds: 5,
    });
    const outcome = await testQuery(config);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'connection_refused' } });
    expect(!outcome.ok && outcome.error.es).toMatch(/rechazó la conexión/);
  });

  it('reports a database that does not exist', async () => {
    const b = await pgBackend();
    const config = resultsConfig(b, { connection: { ...b.connection, database: 'nope' } as ClinicDbConnection });
    expect(await testQuery(config)).toMatchObject({ ok: false, error: { code: 'database_not_found' } });
  });

  it('keeps microseconds in a timestamp cursor, so a row in the same millisecond is neither lost nor re-read', async () => {
    const b = await pgBackend();
    await createResultsTable(b);
    await b.exec(`ALTER TABLE resultados ADD COLUMN cambiado TIMESTAMP(6)`);
    await addResult(b, { doc: '1', path: '1.pdf' });
    await b.exec(`UPDATE resultados SET cambiado = '2025-05-01 10:00:00.000100'`);
    const config = resultsConfig(b, {
      query: resultsQuery
        .replace('AS title', 'AS title, cambiado')
        .replace('id > :cursor', 'cambiado > :cursor')
        .replace('ORDER BY id', 'ORDER BY cambiado'),
      cursorColumn: 'cambiado',
      initialCursor: '2000-01-01',
    });
    const cursor = memoryCursor();
    const keys: string[] = [];
    const poller = createClinicDbPoller({ config, cursor, onBatch: (x) => void keys.push(...x.records.map((r) => r.sourceKey)) });
    await poller.pollNow();
    expect(cursor.peek()).toBe('2025-05-01 10:00:00.0001');
    await addResult(b, { doc: '2', path: '2.pdf' });
    await b.exec(`UPDATE resultados SET cambiado = '2025-05-01 10:00:00.000200' WHERE id = 2`);
    await poller.pollNow();
    await poller.pollNow();
    expect(keys).toEqual(['clinic-db:1', 'clinic-db:2']);
  });

  it('binds a positional $1 to the cursor when the query has no named parameter', async () => {
    const b = await pgBackend();
    await createResultsTable(b);
    await addResult(b, { doc: '1', path: '1.pdf' });
    await addResult(b, { doc: '2', path: '2.pdf' });
    const outcome = await readBatch(resultsConfig(b, { query: resultsQuery.replace(':cursor', '$1') }), 1);
    expect(outcome.ok && (outcome.batch.records as SourceResult[]).map((r) => r.resultId)).toEqual(['2']);
  });
});
