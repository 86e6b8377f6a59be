import type { Language } from '../../../shared/domain';
import type { Planner } from '../scheduler/planner';
import type { SourceAppointment } from '../sources/clinic-db/records';
import {
  getClinicDbRefused,
  keepClinicDbRefused,
  markClinicDbRefusedTaken,
  updateClinicDbRefusedReason,
} from '../store/clinic-db-refused-repo';
import type { Db } from '../store/db';
import type { SiteCode } from './appointment-site';
import { receiveAppointment, type AppointmentIntakeOutcome } from './appointments-intake';

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
  planner: Planner,
  record: SourceAppointment,
  ctx: ClinicDbIntakeContext,
): AppointmentIntakeOutcome {
  const outcome = receiveAppointment(db, planner, record, ctx);
  if (outcome.ok) {
    markClinicDbRefusedTaken(db, record.sourceKey, ctx.at);
  } else {
    keepClinicDbRefused(db, {
      sourceKey: record.sourceKey,
      at: ctx.at,
      code: outcome.code,
      reasonEs: outcome.reason.es,
      reasonEn: outcome.reason.en,
      record: JSON.stringify(record),
    });
  }
  return outcome;
}

export type ClinicDbRetryOutcome = { taken: true } | { taken: false; es: string; en: string } | { taken: false; missing: true };

/** "Procesar de nuevo": the kept record given to intake again (after its site was mapped, say). */
export function retryClinicDbAppointment(db: Db, planner: Planner, id: number, ctx: ClinicDbIntakeContext): ClinicDbRetryOutcome {
  const row = getClinicDbRefused(db, id);
  if (!row || row.takenAt !== null) return { taken: false, missing: true };
  const record = JSON.parse(row.record) as SourceAppointment;
  const outcome = receiveAppointment(db, planner, record, ctx);
  if (outcome.ok) {
    markClinicDbRefusedTaken(db, row.sourceKey, ctx.at);
    return { taken: true };
  }
  updateClinicDbRefusedReason(db, id, { code: outcome.code, reasonEs: outcome.reason.es, reasonEn: outcome.reason.en });
  return { taken: false, es: outcome.reason.es, en: outcome.reason.en };
}
