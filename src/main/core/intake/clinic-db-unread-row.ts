import type { SourceProblem } from '../sources/clinic-db/records';
import { keepClinicDbRefused } from '../store/clinic-db-refused-repo';
import type { Db } from '../store/db';

/**
 * A row of the clinic's database that could not even be read as a record: kept with its reason in the clinic-database
 * list of Ajustes, under the row's source key, so the row taken later clears it. A row without its id (a ref of
 * "#<row number>") cannot be told apart from the next and stays a log line. True when the row was kept.
 */
export function keepUnreadClinicDbRow(db: Db, problem: SourceProblem, keyPrefix: string, at: number, record: object): boolean {
  if (problem.ref.startsWith('#')) return false;
  keepClinicDbRefused(db, {
    sourceKey: `${keyPrefix}:${problem.ref}`,
    at,
    code: problem.code,
    reasonEs: problem.es,
    reasonEn: problem.en,
    record: JSON.stringify(record),
  });
  return true;
}
