import { readFileSync } from 'node:fs';

// TLS to the clinic's database verifies the server's certificate: without that, anyone on the path could pose as the
// server and collect the password. A clinic whose server uses its own CA names that CA's file.

/** The options both pg and mysql2 take under `ssl`. */
export interface ClinicDbTlsOptions {
  rejectUnauthorized: true;
  ca?: string;
}

export function clinicDbTls(connection: { ssl: boolean; sslCaFile?: string }): ClinicDbTlsOptions | undefined {
  if (!connection.ssl) return undefined;
  const ca = connection.sslCaFile?.trim();
  return { rejectUnauthorized: true, ...(ca ? { ca: readFileSync(ca, 'utf8') } : {}) };
}
