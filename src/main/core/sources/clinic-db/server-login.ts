import type { ClinicDbConnection } from '../../settings/clinic-db-settings';
import { clinicDbTls, type ClinicDbTlsOptions } from './tls';

type ServerConnection = Extract<ClinicDbConnection, { driver: 'postgres' | 'mysql' }>;

/** Where and as whom a database server is reached, TLS included: pg and mysql2 take these options by the same names. */
export function serverLogin(connection: ServerConnection): {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  ssl: ClinicDbTlsOptions | undefined;
} {
  return {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    ssl: clinicDbTls(connection),
  };
}
