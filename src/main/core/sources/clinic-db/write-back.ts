import type { ClinicDbSourceConfig, WriteBackConfig } from '../../settings/clinic-db-settings';
import { dbError, type ClinicDbError } from './errors';
import { inOneSession } from './one-session';
import type { DbSession, SourceGuard } from './session';
import type { Dialect } from './sql-params';

export type WriteBackOutcome = { ok: true } | { ok: false; error: ClinicDbError };

export interface WriteBackChange {
  /** The clinic's appointment id, as the source read it (`SourceAppointment.appointmentId`). */
  appointmentId: string;
  value: string | number | null;
}

/**
 * Writes one value into the configured column of one appointment row. The UPDATE is built from the configured table,
 * key and column names, each quoted by the driver; values are bound; the statement changes exactly one row or is
 * rolled back. Free SQL is never run: a stored `sql` from an older setup is refused until a person clears it.
 */
export async function writeBack(
  config: ClinicDbSourceConfig,
  change: WriteBackChange,
  guard: SourceGuard = {},
): Promise<WriteBackOutcome> {
  if (!config.writeBack) return { ok: false, error: dbError('write_back_not_configured') };
  if (config.writeBack.sql.trim()) {
    return { ok: false, error: dbError('write_back_refused', 'A written UPDATE is no longer run: set table, key and column.') };
  }
  const w = config.writeBack;
  return inOneSession(config, { writable: true, guard }, async (session): Promise<WriteBackOutcome> => {
    const sql = updateStatement(w, session);
    const affected = await session.update(sql, [change.value, change.appointmentId], (n) => n === 1);
    if (affected === 0) return { ok: false, error: dbError('write_back_not_found', `id ${change.appointmentId}`) };
    if (affected > 1) return { ok: false, error: dbError('write_back_too_many_rows', `${affected} rows`) };
    return { ok: true };
  });
}

/** The patient's answer in the clinic's own words (`confirmedValue` / `cancelledValue`). */
export function writeBackAnswer(
  config: ClinicDbSourceConfig,
  answer: { appointmentId: string; answer: 'confirmed' | 'cancelled' },
): Promise<WriteBackOutcome> {
  const value = answer.answer === 'confirmed' ? config.writeBack?.confirmedValue : config.writeBack?.cancelledValue;
  return writeBack(config, { appointmentId: answer.appointmentId, value: value ?? null });
}

/** `UPDATE t SET column = <value> WHERE key = <id>`, with the dialect's placeholders for the two bound values. */
export function updateStatement(
  w: Pick<WriteBackConfig, 'table' | 'column' | 'keyColumn'>,
  session: Pick<DbSession, 'dialect' | 'quoteIdentifier'>,
): string {
  // A qualified name (schema.table) is quoted part by part: quoting it whole would name one odd identifier.
  const q = (name: string) => name.split('.').map((part) => session.quoteIdentifier(part)).join('.');
  const [value, id] = placeholders(session.dialect);
  return `UPDATE ${q(w.table)} SET ${q(w.column)} = ${value} WHERE ${q(w.keyColumn)} = ${id}`;
}

function placeholders(dialect: Dialect): [string, string] {
  return dialect === 'postgres' ? ['$1', '$2'] : ['?', '?'];
}
