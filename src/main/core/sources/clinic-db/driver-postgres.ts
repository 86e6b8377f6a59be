import pg from 'pg';
import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { lowerKeys } from './row-keys';
import { serverLogin } from './server-login';
import { acceptedUpdate, readOnlyTransaction, type ServerTransactions } from './server-transaction';
import type { DbSession, Row, SessionOptions } from './session';
import type { ParamValue } from './sql-params';

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

/**
 * Parse/bind/execute even without values: the extended protocol takes exactly one statement, whatever the text holds
 * (pg has `queryMode` since 8.12; its type definitions do not list it yet).
 */
function extended(text: string, values: ParamValue[]): pg.QueryConfig {
  const config: pg.QueryConfig & { queryMode: 'extended' } = { text, values, queryMode: 'extended' };
  return config;
}

export async function openPostgres(connection: PostgresConnection, options: SessionOptions): Promise<DbSession> {
  const client = new pg.Client({
    ...serverLogin(connection),
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs + 1000,
    application_name: 'avisa',
    // A poll's session cannot write even after a COMMIT slipped into its text: every transaction starts read-only.
    ...(options.writable ? {} : { options: '-c default_transaction_read_only=on' }),
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
  const tx: ServerTransactions = {
    run: (statement) => client.query(statement),
    begin: 'BEGIN',
    beginReadOnly: ['BEGIN', 'SET TRANSACTION READ ONLY'],
  };
  return {
    dialect: 'postgres',
    read: (sql, values) =>
      readOnlyTransaction(tx, async () => {
        const result = await client.query<Row>(extended(sql, values));
        return { columns: result.fields.map((f) => f.name), rows: result.rows.map(lowerKeys) };
      }),
    update: (sql, values, accept) =>
      acceptedUpdate(tx, async () => (await client.query(extended(sql, values))).rowCount ?? 0, accept),
    quoteIdentifier: (name) => client.escapeIdentifier(name),
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
