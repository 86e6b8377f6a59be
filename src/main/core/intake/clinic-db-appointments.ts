import type { Language } from '../../../shared/domain';
import type { Planner } from '../scheduler/planner';
import type { SourceAppointment, SourceProblem } from '../sources/clinic-db/records';
import {
  getClinicDbRefused,
  keepClinicDbRefused,
  markClinicDbRefusedTaken,
  updateClinicDbRefusedReason,
} from '../store/clinic-db-refused-repo';
import { withScratchInMemory, type Db } from '../store/db';
import type { SiteCode } from './appointment-site';
import type { UnreadResultRow } from './clinic-db-results';
import { keepUnreadClinicDbRow } from './clinic-db-unread-row';
import { receiveAppointment, type AppointmentIntakeOutcome, type AppointmentPlanning } from './appointments-intake';

export interface ClinicDbIntakeContext {
  at: number;
  language: Language;
  defaultCountry: string;
  /** The database's site codes → Avisa's sites (Ajustes → Base de datos de la clínica). */
  siteCodes: readonly SiteCode[];
}

/**
 * An appointment row from the clinic's database. What intake refuses (a site Avisa does not know, an hour that does
 * not exist…) is kept with its reason in the clinic-database review list instead of only a log line; a row read again
 * and taken leaves that list by itself.
 */
export function receiveClinicDbAppointment(
  db: Db,
  planner: AppointmentPlanning,
  record: SourceAppointment,
  ctx: ClinicDbIntakeContext,
): ClinicDbAppointmentOutcome {
  const outcome = receiveAppointment(db, planner, record, ctx);
  if (outcome.ok) return { ...outcome, refusedListChanged: markClinicDbRefusedTaken(db, record.sourceKey, ctx.at) };
  keepClinicDbRefused(db, {
    sourceKey: record.sourceKey,
    at: ctx.at,
    code: outcome.code,
    reasonEs: outcome.reason.es,
    reasonEn: outcome.reason.en,
    record: JSON.stringify(record),
  });
  return { ...outcome, refusedListChanged: true };
}

/** What intake did with the row, and whether the list of refused appointments changed (kept, or taken off it). */
export type ClinicDbAppointmentOutcome = AppointmentIntakeOutcome & { refusedListChanged: boolean };

/**
 * One poll's appointment rows, in one transaction: a day's bookings and changes read together are written together.
 * Each row goes through intake on its own (a row refused joins the review list, the others are taken); the reminders of
 * every appointment taken are then planned together, before the transaction ends, so the commit and the planner's
 * bookkeeping (its configuration check, its audit entry) are paid once per poll instead of once per row. An unexpected
 * error leaves nothing of the poll: the cursor is not moved and the same rows are read again at the next poll.
 */
export function receiveClinicDbAppointments(
  db: Db,
  planner: Planner,
  records: readonly SourceAppointment[],
  ctx: ClinicDbIntakeContext,
): ClinicDbAppointmentOutcome[] {
  return withScratchInMemory(
    db,
    db.transaction(() => {
      const taken = new Set<number>();
      const later: AppointmentPlanning = { planAppointment: (id) => taken.add(id) };
      const outcomes = records.map((record) => receiveClinicDbAppointment(db, later, record, ctx));
      if (taken.size) planner.planAppointments([...taken]);
      return outcomes;
    }),
  );
}

/** An appointment row that could not even be read as one (a local hour that does not exist, an unknown status word…). */
export function keepClinicDbAppointmentProblem(db: Db, problem: SourceProblem, keyPrefix: string, at: number): boolean {
  const record: UnreadRow = { kind: 'unread', appointmentId: problem.ref };
  return keepUnreadClinicDbRow(db, problem, keyPrefix, at, record);
}

/** What is kept of a row that never became a record: its id. */
export interface UnreadRow {
  kind: 'unread';
  appointmentId: string;
}

/** What the clinic-database list keeps: an appointment as read, or a row (appointment or result) that could not be. */
export type KeptRecord = SourceAppointment | UnreadRow | UnreadResultRow;

export type ClinicDbRetryOutcome = { taken: true } | { taken: false; es: string; en: string } | { taken: false; missing: true };

/** "Procesar de nuevo": the kept record given to intake again (after its site was mapped, say). */
export function retryClinicDbAppointment(db: Db, planner: Planner, id: number, ctx: ClinicDbIntakeContext): ClinicDbRetryOutcome {
  const row = getClinicDbRefused(db, id);
  if (!row || row.takenAt !== null) return { taken: false, missing: true };
  const record = JSON.parse(row.record) as KeptRecord;
  // Only the clinic can fix such a row; it leaves the list when the query returns it again, readable.
  if (record.kind === 'unread' || record.kind === 'unread-result') return { taken: false, ...fixTheRow(row.reasonEs, row.reasonEn) };
  const outcome = receiveAppointment(db, planner, record, ctx);
  if (outcome.ok) {
    markClinicDbRefusedTaken(db, row.sourceKey, ctx.at);
    return { taken: true };
  }
  updateClinicDbRefusedReason(db, id, { code: outcome.code, reasonEs: outcome.reason.es, reasonEn: outcome.reason.en });
  return { taken: false, es: outcome.reason.es, en: outcome.reason.en };
}

function fixTheRow(es: string, en: string): { es: string; en: string } {
  return {
    es: `${es} Corrija la fila en la base de datos de la clínica: se toma cuando la consulta la devuelva de nuevo.`,
    en: `${en} Fix the row in the clinic's database: it is taken when the query returns it again.`,
  };
}
