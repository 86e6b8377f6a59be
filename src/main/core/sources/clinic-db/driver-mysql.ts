import mysql from 'mysql2/promise';
import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { lowerKeys } from './row-keys';
import type { DbSession, Row, SessionOptions } from './session';

type MysqlConnection = Extract<ClinicDbConnection, { driver: 'mysql' }>;

export async function openMysql(connection: MysqlConnection, options: SessionOptions): Promise<DbSession> {
  const conn = await mysql.createConnection({
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    ssl: connection.ssl ? { rejectUnauthorized: false } : undefined,
    connectTimeout: options.timeoutMs,
    // Same reasons as PostgreSQL: exact text for dates (no zone shift, no lost fractions) and for big integers.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  conn.on('error', () => undefined);
  return {
    dialect: 'mysql',
    async read(sql, values) {
      await conn.query('START TRANSACTION READ ONLY');
      try {
        // execute(): a server-side prepared statement, so values are bound by the server, never spliced in.
        const [rows, fields] = await conn.execute<mysql.RowDataPacket[]>({ sql, timeout: options.timeoutMs }, values);
        return { columns: fields.map((f) => f.name), rows: rows.map((r) => lowerKeys({ ...r } as Row)) };
      } finally {
        await conn.query('ROLLBACK').catch(() => undefined);
      }
    },
    async update(sql, values, accept) {
      await conn.query('START TRANSACTION');
      try {
        const [result] = await conn.execute<mysql.ResultSetHeader>({ sql, timeout: options.timeoutMs }, values);
        const affected = result.affectedRows;
        await conn.query(accept(affected) ? 'COMMIT' : 'ROLLBACK');
        return affected;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await conn.end().catch(() => undefined);
    },
  };
}
