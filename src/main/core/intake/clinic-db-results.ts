import type { SourceProblem, SourceResult } from '../sources/clinic-db/records';
import type { SourceFileRead } from '../sources/source-file';
import { markClinicDbRefusedTaken } from '../store/clinic-db-refused-repo';
import type { Db } from '../store/db';
import { keepUnreadClinicDbRow } from './clinic-db-unread-row';
import type { ResultsSink } from './incoming-result';
import { incomingFromSource } from './source-result-adapter';
import { heldUnlessTrusted } from './source-trust';

/**
 * A result row of the clinic's database that could not be read as a result (no file named, an approval date that is
 * not a date): kept with the technical detail for IT, instead of a log line nobody reads.
 */
export function keepClinicDbResultProblem(db: Db, problem: SourceProblem, keyPrefix: string, at: number): boolean {
  const record: UnreadResultRow = { kind: 'unread-result', resultId: problem.ref, detail: problem.detail ?? null };
  return keepUnreadClinicDbRow(db, problem, keyPrefix, at, record);
}

/**
 * A result row read as one goes to the results intake (held for approval unless the clinic trusts this database);
 * the same row listed earlier as unreadable, now fixed by the clinic, leaves the list (then true).
 */
export async function receiveClinicDbResult(
  db: Db,
  intake: ResultsSink,
  record: SourceResult,
  o: { trusted: boolean; at: number; readFile: (file: { path: string; roots: string[] }) => Promise<SourceFileRead> },
): Promise<boolean> {
  await intake.receive(heldUnlessTrusted(await incomingFromSource(record, o.readFile), o.trusted));
  return markClinicDbRefusedTaken(db, record.sourceKey, o.at);
}

/** What is kept of a result row that never became a record: its id and what exactly was wrong, for IT. */
export interface UnreadResultRow {
  kind: 'unread-result';
  resultId: string;
  detail: string | null;
}
