import pg from 'pg';
import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { lowerKeys } from './row-keys';
import type { DbSession, Row, SessionOptions } from './session';

type PostgresConnection = Extract<ClinicDbConnection, { driver: 'postgres' }>;

// Dates and times come back as PostgreSQL's own text: a JS Date drops microseconds, and a cursor that lost them would
// read the last row again on every poll; a `timestamp` without zone would also be shifted by this machine's zone.
const TEXT_TYPES = new Set<number>([
  pg.types.builtins.DATE,
  pg.types.builtins.TIME,
  pg.types.builtins.TIMETZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.TIMESTAMPTZ,
]);

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(connection: PostgresConnection, options: SessionOptions): Promise<DbSession> {
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    ssl: connection.ssl ? { rejectUnauthorized: false } : undefined,
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs + 1000,
    application_name: 'avisa',
    types,
  });
  // Without a listener a dropped connection would crash the process; the next query reports it instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    dialect: 'postgres',
    async read(sql, values) {
      await client.query('BEGIN READ ONLY');
      try {
        const result = await client.query<Row>({ text: sql, values: values as unknown[] });
        return { columns: result.fields.map((f) => f.name), rows: result.rows.map(lowerKeys) };
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    },
    async update(sql, values, accept) {
      await client.query('BEGIN');
      try {
        const result = await client.query({ text: sql, values: values as unknown[] });
        const affected = result.rowCount ?? 0;
        await client.query(accept(affected) ? 'COMMIT' : 'ROLLBACK');
        return affected;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
