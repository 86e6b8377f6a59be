import { join } from 'node:path';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clinicDbSourceSchema,
  readBatch,
  testQuery,
  writeBack,
  type ClinicDbConnection,
  type ClinicDbSourceInput,
} from '../../src/main/core/sources/clinic-db';
import { incomingFromSource } from '../../src/main/core/intake/source-result-adapter';
import { sourceFileReader } from '../../src/main/core/sources/source-file';
import { tempDir } from '../helpers/temp';
import { findMariadb, startMysqlServer, type MysqlServer } from './mysql-server';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// A settings screen can be filled by anyone who reached it: the read query and the write-back configuration are
// treated as hostile. Each attack here ran against the real database servers before the fix.

const pgBin = findPgBin();
const mariadbBin = findMariadb();
let pgServer: PgServer | undefined;
let pgAdmin: pg.Client | undefined;
let mysqlServer: MysqlServer | undefined;
let mysqlAdmin: mysql.Connection | undefined;
let counter = 0;

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
}, 120_000);

afterAll(async () => {
  await pgAdmin?.end().catch(() => undefined);
  pgServer?.stop();
  await mysqlAdmin?.end().catch(() => undefined);
  await mysqlServer?.stop();
});

interface Victim {
  connection: ClinicDbConnection;
  /** Runs SQL as the database's owner (to set up and to look at the damage). */
  admin(sql: string): Promise<Record<string, unknown>[]>;
}

async function pgVictim(): Promise<Victim> {
  const server = pgServer as PgServer;
  const database = `victim_${++counter}`;
  await (pgAdmin as pg.Client).query(`CREATE DATABASE ${database}`);
  const connection: ClinicDbConnection = { driver: 'postgres', host: server.host, port: server.port, database, user: server.user, ssl: false };
  return {
    connection,
    async admin(sql) {
      const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
  };
}

async function mysqlVictim(): Promise<Victim> {
  const server = mysqlServer as MysqlServer;
  const database = `victim_${++counter}`;
  await (mysqlAdmin as mysql.Connection).query(`CREATE DATABASE ${database}`);
  const connection: ClinicDbConnection = { driver: 'mysql', host: server.host, port: server.port, database, user: server.user, ssl: false };
  return {
    connection,
    async admin(sql) {
      const conn = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, database, multipleStatements: true });
      try {
        const [rows] = await conn.query(sql);
        return Array.isArray(rows) ? (rows as mysql.RowDataPacket[]).map((r) => ({ ...r })) : [];
      } finally {
        await conn.end();
      }
    },
  };
}

function sqliteVictim(): Victim {
  const file = join(tempDir('avisa-victim-'), 'clinica.db');
  new Database(file).close();
  return {
    connection: { driver: 'sqlite', file },
    async admin(sql) {
      const db = new Database(file);
      try {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all() as Record<string, unknown>[];
        statement.run();
        return [];
      } finally {
        db.close();
      }
    },
  };
}

function config(v: Victim, extra: Partial<ClinicDbSourceInput>) {
  return clinicDbSourceSchema.parse({
    kind: 'results',
    connection: v.connection,
    query: 'SELECT 1 AS result_id',
    cursorColumn: 'result_id',
    initialCursor: 0,
    ...extra,
  });
}

const victims: [string, () => Promise<Victim> | Victim, boolean][] = [
  ['SQLite', sqliteVictim, true],
  ['PostgreSQL', pgVictim, pgBin !== null],
  ['MariaDB', mysqlVictim, mariadbBin !== null],
];

const tableCount = async (v: Victim): Promise<number> => Number((await v.admin('SELECT COUNT(*) AS n FROM victim'))[0]?.n);

for (const [name, makeVictim, available] of victims) {
  describe.skipIf(!available)(`hostile clinic-database settings — ${name}`, () => {
    it('a read query never runs a second statement, whatever quoting hides the semicolon', async () => {
      const v = await makeVictim();
      await v.admin('CREATE TABLE victim (id INTEGER)');
      await v.admin('INSERT INTO victim VALUES (1)');
      const attacks = [
        // PostgreSQL's E'…' backslash string: a tokenizer that does not know it thinks the ';' is inside a string.
        // Both ends balanced, so the whole text parses once "Probar consulta" wraps it or the poller sends it as is.
        "SELECT E'\\'' AS result_id) q; COMMIT; DROP TABLE victim; SELECT * FROM (SELECT 1",
        "SELECT E'\\'' AS result_id; COMMIT; DROP TABLE victim; SELECT ''",
        // MySQL's backslash inside '…', read the other way by a tokenizer in another dialect.
        "SELECT '\\'' AS result_id; DELETE FROM victim; SELECT ''",
        'DELETE FROM victim',
        'COMMIT',
        'DROP TABLE victim',
        'WITH d AS (DELETE FROM victim RETURNING id) SELECT id AS result_id FROM d',
      ];
      for (const query of attacks) {
        const c = config(v, { query });
        await testQuery(c);
        await readBatch(c, null);
        expect(await tableCount(v), query).toBe(1);
      }
    });
  });
}

describe.skipIf(!pgBin)('hostile clinic-database settings — PostgreSQL only', () => {
  it('COPY … TO PROGRAM, alone or after a closed string, never runs on the database host', async () => {
    const v = await pgVictim();
    // The server runs as its own user: the mark goes where that user may write.
    const mark = join('/tmp', `avisa-copy-${process.pid}-${counter}`);
    for (const query of [
      `COPY (SELECT 1) TO PROGRAM 'touch ${mark}'`,
      `SELECT E'\\'' AS result_id; COPY (SELECT 1) TO PROGRAM 'touch ${mark}'; SELECT ''`,
      `SELECT E'\\'' AS result_id) q; COPY (SELECT 1) TO PROGRAM 'touch ${mark}'; SELECT * FROM (SELECT 1`,
    ]) {
      const c = config(v, { query });
      const test = await testQuery(c);
      const read = await readBatch(c, null);
      expect(test.ok, query).toBe(false);
      expect(read.ok, query).toBe(false);
      expect(existsSync(mark), query).toBe(false);
    }
  });

  it('a read query cannot outlast the statement timeout', async () => {
    const v = await pgVictim();
    const c = config(v, { query: 'SELECT pg_sleep(5) AS result_id', timeoutSeconds: 1 });
    expect(await readBatch(c, null)).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });
});

describe.skipIf(!mariadbBin)('hostile clinic-database settings — MariaDB only', () => {
  it('INTO OUTFILE writes nothing on the database host', async () => {
    const v = await mysqlVictim();
    const file = join('/tmp', `avisa-outfile-${process.pid}-${counter}`);
    const c = config(v, { query: `SELECT 1 AS result_id INTO OUTFILE '${file}'` });
    expect((await testQuery(c)).ok).toBe(false);
    expect((await readBatch(c, null)).ok).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it("LOAD_FILE's bytes are not taken as a patient's document", async () => {
    const v = await mysqlVictim();
    const c = config(v, {
      query: "SELECT 1 AS result_id, '2025-01-01 10:00:00' AS approved_at, '1' AS document_number, LOAD_FILE('/etc/hostname') AS file_blob",
    });
    const read = await readBatch(c, null);
    // Either the server refuses the file, or the bytes reach intake as "not a PDF": never kept, never shown.
    if (read.ok) {
      for (const record of read.batch.records) {
        if (record.kind !== 'result') continue;
        const incoming = await incomingFromSource(record, sourceFileReader([]));
        expect(incoming.pdf).toBeNull();
        expect(incoming.problem?.code).toBe('not_pdf');
      }
    }
  });

  it('a read query cannot outlast the statement timeout', async () => {
    const v = await mysqlVictim();
    const c = config(v, { query: 'SELECT SLEEP(5) AS result_id', timeoutSeconds: 1 });
    const started = process.hrtime.bigint();
    const read = await readBatch(c, null);
    expect(read, JSON.stringify(read)).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(4.5);
  });
});

for (const [name, makeVictim, available] of victims) {
  describe.skipIf(!available)(`write-back built from identifiers only — ${name}`, () => {
    it('an UPDATE written into the settings is refused; the one built from table, key and column changes that cell', async () => {
      const v = await makeVictim();
      await v.admin('CREATE TABLE citas (id_cita INTEGER, confirmacion VARCHAR(20), notas VARCHAR(20))');
      await v.admin("INSERT INTO citas VALUES (1, 'PENDIENTE', 'traer orden')");
      const wb = { table: 'citas', keyColumn: 'id_cita', column: 'confirmacion' };
      for (const sql of [
        'UPDATE citas SET confirmacion = :value, notas = NULL WHERE id_cita = :id',
        "UPDATE citas SET confirmacion = :value || '' , notas = 'x' WHERE id_cita = :id",
        'UPDATE citas SET confirmacion = :value WHERE id_cita = :id',
      ]) {
        const c = config(v, { kind: 'appointments', query: 'SELECT 1', writeBack: { ...wb, sql } });
        expect(await writeBack(c, { appointmentId: '1', value: 'SI' }), sql).toMatchObject({ ok: false, error: { code: 'write_back_refused' } });
      }
      expect(await v.admin('SELECT confirmacion, notas FROM citas')).toEqual([{ confirmacion: 'PENDIENTE', notas: 'traer orden' }]);

      const c = config(v, { kind: 'appointments', query: 'SELECT 1', writeBack: wb });
      expect(await writeBack(c, { appointmentId: '1', value: 'SI' })).toEqual({ ok: true });
      expect(await v.admin('SELECT confirmacion, notas FROM citas')).toEqual([{ confirmacion: 'SI', notas: 'traer orden' }]);
    });

    it('identifiers cannot break out of their quotes', async () => {
      const v = await makeVictim();
      await v.admin('CREATE TABLE citas (id_cita INTEGER, confirmacion VARCHAR(20), notas VARCHAR(20))');
      await v.admin("INSERT INTO citas VALUES (1, 'PENDIENTE', 'traer orden')");
      for (const column of ['confirmacion = 1, notas', 'confirmacion" = 1, "notas', 'confirmacion` = 1, `notas']) {
        const parsed = clinicDbSourceSchema.safeParse({
          kind: 'appointments',
          connection: v.connection,
          query: 'SELECT 1',
          cursorColumn: 'id',
          writeBack: { table: 'citas', keyColumn: 'id_cita', column },
        });
        expect(parsed.success, column).toBe(false);
      }
    });
  });
}
