import type { ClinicDbSourceConfig, WriteBackConfig } from '../../settings/clinic-db-settings';
import { classifyDbError, dbError, type ClinicDbError } from './errors';
import { openSession, type DbSession } from './session';
import { bindNamed, checkSingleColumnUpdate, quoteIdentifier, type Dialect } from './sql-params';

export type WriteBackOutcome = { ok: true } | { ok: false; error: ClinicDbError };

export interface WriteBackChange {
  /** The clinic's appointment id, as the source read it (`SourceAppointment.appointmentId`). */
  appointmentId: string;
  value: string | number | null;
}

/**
 * Writes one value into the configured column of one appointment row. Values are bound, identifiers quoted; the
 * statement changes exactly one row or is rolled back, and an administrator's own UPDATE must assign only that column.
 */
export async function writeBack(config: ClinicDbSourceConfig, change: WriteBackChange): Promise<WriteBackOutcome> {
  if (!config.writeBack) return { ok: false, error: dbError('write_back_not_configured') };
  const dialect = config.connection.driver;
  const statement = updateStatement(config.writeBack, dialect);
  if (!statement.ok) return { ok: false, error: dbError('write_back_refused', statement.reason) };
  const bound = bindNamed(statement.sql, dialect, { value: change.value, id: change.appointmentId });
  if (!bound.ok) return { ok: false, error: dbError('unknown_parameter', bound.unknown.map((n) => `:${n}`).join(', ')) };
  let session: DbSession | undefined;
  try {
    session = await openSession(config.connection, { timeoutMs: config.timeoutSeconds * 1000, writable: true });
    const affected = await session.update(bound.text, bound.values, (n) => n === 1);
    if (affected === 0) return { ok: false, error: dbError('write_back_not_found', `id ${change.appointmentId}`) };
    if (affected > 1) return { ok: false, error: dbError('write_back_too_many_rows', `${affected} rows`) };
    return { ok: true };
  } catch (error) {
    return { ok: false, error: classifyDbError(error) };
  } finally {
    await session?.close();
  }
}

/** The patient's answer in the clinic's own words (`confirmedValue` / `cancelledValue`). */
export function writeBackAnswer(
  config: ClinicDbSourceConfig,
  answer: { appointmentId: string; answer: 'confirmed' | 'cancelled' },
): Promise<WriteBackOutcome> {
  const value = answer.answer === 'confirmed' ? config.writeBack?.confirmedValue : config.writeBack?.cancelledValue;
  return writeBack(config, { appointmentId: answer.appointmentId, value: value ?? null });
}

export function updateStatement(
  writeBackConfig: WriteBackConfig,
  dialect: Dialect,
): { ok: true; sql: string } | { ok: false; reason: string } {
  const custom = writeBackConfig.sql.trim();
  if (custom) {
    const check = checkSingleColumnUpdate(custom, writeBackConfig.column, dialect);
    return check.ok ? { ok: true, sql: custom } : check;
  }
  const q = (name: string) => quoteIdentifier(name, dialect);
  return {
    ok: true,
    sql: `UPDATE ${q(writeBackConfig.table)} SET ${q(writeBackConfig.column)} = :value WHERE ${q(writeBackConfig.keyColumn)} = :id`,
  };
}
