import type { ClinicDbSourceConfig } from '../../settings/clinic-db-settings';
import { classifyDbError, type ClinicDbError } from './errors';
import { openSession, type DbSession, type SourceGuard } from './session';

/**
 * One piece of work against the clinic's database in a session of its own (read-only unless it writes), closed
 * whatever happens. A failure to connect or to run comes back as a value with its reason, never as an exception.
 */
export async function inOneSession<T>(
  config: ClinicDbSourceConfig,
  o: { writable: boolean; guard: SourceGuard },
  work: (session: DbSession) => Promise<T>,
): Promise<T | { ok: false; error: ClinicDbError }> {
  let session: DbSession | undefined;
  try {
    session = await openSession(config.connection, {
      timeoutMs: config.timeoutSeconds * 1000,
      writable: o.writable,
      protectedDirs: o.guard.protectedDirs,
    });
    return await work(session);
  } catch (error) {
    return { ok: false, error: classifyDbError(error) };
  } finally {
    await session?.close();
  }
}
