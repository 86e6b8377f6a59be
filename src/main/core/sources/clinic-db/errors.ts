// Database failures as values a receptionist or the clinic's IT person can act on, with the database's own words kept
// in `detail` for the one who fixes the query.

export type ClinicDbErrorCode =
  | 'connection_refused'
  | 'host_not_found'
  | 'timeout'
  | 'auth_failed'
  | 'database_not_found'
  | 'file_not_found'
  | 'avisa_database'
  | 'bad_sql'
  | 'unknown_table_or_column'
  | 'not_read_only'
  | 'unknown_parameter'
  | 'missing_columns'
  | 'write_back_not_configured'
  | 'write_back_refused'
  | 'write_back_not_found'
  | 'write_back_too_many_rows'
  | 'driver_error';

export interface ClinicDbError {
  code: ClinicDbErrorCode;
  es: string;
  en: string;
  /** The database's or driver's message, verbatim; empty when the reason is Avisa's own. */
  detail: string;
}

const reasons: Record<ClinicDbErrorCode, { es: string; en: string }> = {
  connection_refused: {
    es: 'El servidor de base de datos rechazó la conexión: revise el host, el puerto y que el servicio esté activo.',
    en: 'The database server refused the connection: check host, port and that the service is running.',
  },
  host_not_found: {
    es: 'No se encontró el servidor de base de datos: revise el nombre del host.',
    en: 'The database host was not found: check the host name.',
  },
  timeout: {
    es: 'La base de datos no respondió a tiempo.',
    en: 'The database did not answer in time.',
  },
  auth_failed: {
    es: 'Usuario o contraseña de la base de datos incorrectos.',
    en: 'Wrong database user or password.',
  },
  database_not_found: {
    es: 'La base de datos indicada no existe.',
    en: 'The database named does not exist.',
  },
  file_not_found: {
    es: 'No se puede abrir el archivo de base de datos: revise la ruta.',
    en: 'The database file cannot be opened: check the path.',
  },
  avisa_database: {
    es: 'Ese archivo es la base de datos de Avisa (o una copia), no la de la clínica: no se usa como fuente.',
    en: "That file is Avisa's own database (or a copy of it), not the clinic's: it is not used as a source.",
  },
  bad_sql: {
    es: 'La consulta SQL tiene un error.',
    en: 'The SQL query has an error.',
  },
  unknown_table_or_column: {
    es: 'La consulta nombra una tabla o columna que no existe.',
    en: 'The query names a table or column that does not exist.',
  },
  not_read_only: {
    es: 'La consulta intenta modificar datos: la consulta de lectura solo puede leer.',
    en: 'The query tries to change data: the read query may only read.',
  },
  unknown_parameter: {
    es: 'La consulta usa un parámetro que Avisa no conoce.',
    en: 'The query uses a parameter Avisa does not know.',
  },
  missing_columns: {
    es: 'A la consulta le faltan columnas obligatorias.',
    en: 'The query lacks required columns.',
  },
  write_back_not_configured: {
    es: 'No está configurada la escritura de respuestas en la base de la clínica.',
    en: 'Writing answers back to the clinic database is not configured.',
  },
  write_back_refused: {
    es: 'La sentencia UPDATE configurada no es válida: debe cambiar solo la columna indicada y usar :value y :id.',
    en: 'The configured UPDATE is not valid: it must change only the given column and use :value and :id.',
  },
  write_back_not_found: {
    es: 'La cita no existe en la base de la clínica: no se cambió nada.',
    en: 'The appointment does not exist in the clinic database: nothing was changed.',
  },
  write_back_too_many_rows: {
    es: 'La sentencia UPDATE cambiaría más de una fila: se deshizo sin cambiar nada.',
    en: 'The UPDATE would change more than one row: it was rolled back and nothing changed.',
  },
  driver_error: {
    es: 'Error de la base de datos.',
    en: 'Database error.',
  },
};

export function dbError(code: ClinicDbErrorCode, detail = ''): ClinicDbError {
  return { code, ...reasons[code], detail };
}

/** Maps what pg, mysql2 and better-sqlite3 throw to one of the reasons above. */
export function classifyDbError(error: unknown): ClinicDbError {
  const detail = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return dbError('connection_refused', detail);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return dbError('host_not_found', detail);
  // 57014: PostgreSQL's statement_timeout; MariaDB's max_statement_time and MySQL's max_execution_time.
  if (
    code === 'ETIMEDOUT' ||
    code === 'PROTOCOL_SEQUENCE_TIMEOUT' ||
    code === '57014' ||
    code === 'ER_STATEMENT_TIMEOUT' ||
    code === 'ER_QUERY_TIMEOUT' ||
    code === 'ER_QUERY_INTERRUPTED'
  ) {
    return dbError('timeout', detail);
  }
  if (/timeout/i.test(detail) && !code) return dbError('timeout', detail);
  // MariaDB's error 1969 has no name in mysql2's table: its text says which limit stopped the query.
  if (/max_statement_time|max_execution_time/i.test(detail)) return dbError('timeout', detail);
  // PostgreSQL SQLSTATE classes; MySQL error names.
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR') return dbError('auth_failed', detail);
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') return dbError('database_not_found', detail);
  if (code === '25006' || code === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' || code === 'SQLITE_READONLY') {
    return dbError('not_read_only', detail);
  }
  if (code === '42P01' || code === '42703' || code === '42883' || code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return dbError('unknown_table_or_column', detail);
  }
  if (code === 'AVISA_OWN_DATABASE') return dbError('avisa_database', detail);
  if (code === 'SQLITE_CANTOPEN' || /cannot open database|directory does not exist/i.test(detail)) {
    return dbError('file_not_found', detail);
  }
  if (code === 'SQLITE_ERROR' && /no such (table|column)/i.test(detail)) return dbError('unknown_table_or_column', detail);
  if ((code?.startsWith('42') ?? false) || code === 'ER_PARSE_ERROR' || code === 'SQLITE_ERROR' || code?.startsWith('22')) {
    return dbError('bad_sql', detail);
  }
  return dbError('driver_error', detail);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
