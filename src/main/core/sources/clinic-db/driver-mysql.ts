import mysql from 'mysql2/promise';
import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { lowerKeys } from './row-keys';
import { serverLogin } from './server-login';
import { acceptedUpdate, readOnlyTransaction, type ServerTransactions } from './server-transaction';
import type { DbSession, Row, SessionOptions } from './session';

type MysqlConnection = Extract<ClinicDbConnection, { driver: 'mysql' }>;

export async function openMysql(connection: MysqlConnection, options: SessionOptions): Promise<DbSession> {
  const conn = await mysql.createConnection({
    ...serverLogin(connection),
    connectTimeout: options.timeoutMs,
    // One statement per call, always; execute() below sends prepared statements, which hold only one anyway.
    multipleStatements: false,
    // Same reasons as PostgreSQL: exact text for dates (no zone shift, no lost fractions) and for big integers.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  conn.on('error', () => undefined);
  await limitStatementTime(conn, options.timeoutMs);
  if (!options.writable) await conn.query('SET SESSION TRANSACTION READ ONLY');
  const tx: ServerTransactions = {
    run: (statement) => conn.query(statement),
    begin: 'START TRANSACTION',
    beginReadOnly: ['START TRANSACTION READ ONLY'],
  };
  return {
    dialect: 'mysql',
    read: (sql, values) =>
      readOnlyTransaction(tx, async () => {
        // execute(): a server-side prepared statement, so values are bound by the server, never spliced in.
        const [rows, fields] = await conn.execute<mysql.RowDataPacket[]>({ sql, timeout: options.timeoutMs }, values);
        return { columns: fields.map((f) => f.name), rows: rows.map((r) => lowerKeys({ ...r } as Row)) };
      }),
    update: (sql, values, accept) =>
      acceptedUpdate(
        tx,
        async () => {
          const [result] = await conn.execute<mysql.ResultSetHeader>({ sql, timeout: options.timeoutMs }, values);
          return result.affectedRows;
        },
        accept,
      ),
    quoteIdentifier: (name) => conn.escapeId(name),
    async close() {
      await conn.end().catch(() => undefined);
    },
  };
}

/**
 * The server stops a query that runs too long (MariaDB: max_statement_time in seconds; MySQL: max_execution_time in
 * ms, SELECT only); the client's own timeout only stops waiting. Each server refuses the other's variable.
 */
async function limitStatementTime(conn: mysql.Connection, timeoutMs: number): Promise<void> {
  try {
    await conn.query('SET SESSION max_statement_time = ?', [timeoutMs / 1000]);
  } catch {
    await conn.query('SET SESSION max_execution_time = ?', [timeoutMs]).catch(() => undefined);
  }
}
