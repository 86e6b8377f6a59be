import type { Language } from '../../../shared/domain';
import type { SourceAppointment } from '../sources/clinic-db/records';
import { upsertAppointment } from '../store/appointments-repo';
import { insertService, listServices, listSites } from '../store/clinic-repo';
import type { Db } from '../store/db';
import { siteOfAppointment, type SiteCode } from './appointment-site';
import { instantOfWallClock, localTimeTexts, wallClockOfIso } from './local-time';
import { matchPatient } from './patient-match';
import { incomingPatientOf } from './source-patient';

type Texts = { es: string; en: string };

/**
 * What intake asks of planning: the appointment's reminders planned in the same transaction. The planner does it at
 * once; a batch of source rows notes the ids and plans them together before its transaction ends.
 */
export interface AppointmentPlanning {
  planAppointment(appointmentId: number): unknown;
}

export type AppointmentIntakeOutcome =
  | { ok: true; appointmentId: number; /** Taken, with something the sender should know (an HL7 ACK carries it). */ warnings: Texts[] }
  | { ok: false; code: string; reason: Texts };

/**
 * An appointment from the clinic database or HL7 SIU: the patient matched (or registered when the source names them),
 * the site and service found by name, the appointment upserted by its source key and its reminders planned in the
 * same transaction — the same row read twice is one appointment with one set of reminders.
 */
export function receiveAppointment(
  db: Db,
  planner: AppointmentPlanning,
  record: SourceAppointment,
  ctx: { at: number; language: Language; defaultCountry: string; /** The source's location codes → sites (HL7, clinic database). */ siteCodes?: readonly SiteCode[] },
): AppointmentIntakeOutcome {
  const named = record.siteCodes ?? (record.site ? [record.site] : []);
  const where = siteOfAppointment(listSites(db), named, ctx.siteCodes, record.source);
  if (!where.ok) return { ok: false, code: where.code, reason: where.reason };
  const { site } = where;
  // The site's clock; when the site is only a stand-in, the zone the source itself was set to.
  const zone = where.known ? site.timeZone : (record.timeZone ?? site.timeZone);
  const when = startOf(record, zone);
  if (!when.ok) return when;
  const warnings = [...when.warnings];
  if (!where.known) warnings.unshift(guessedSite(site.name, zone));
  return db.transaction((): AppointmentIntakeOutcome => {
    const match = matchPatient(
      db,
      incomingPatientOf(record.patient),
      {
        assignedPatientId: null,
        defaultDocumentType: 'DNI',
        at: ctx.at,
        language: ctx.language,
        defaultCountry: site.country || ctx.defaultCountry,
        consentSource: 'import',
      },
    );
    if (!match.ok) return { ok: false, code: match.code, reason: match.reason };
    const serviceName = record.service?.trim() || listServices(db)[0]?.name || 'Consulta';
    const service =
      listServices(db).find((s) => s.name.toLowerCase() === serviceName.toLowerCase()) ?? insertService(db, serviceName, ctx.at);
    const id = upsertAppointment(
      db,
      {
        siteId: site.id,
        serviceId: service.id,
        patientId: match.patient.id,
        startsAt: when.at,
        status: record.status === 'rescheduled' ? 'booked' : record.status,
        source: record.source,
        sourceKey: record.sourceKey,
        professional: record.professional,
      },
      ctx.at,
    );
    planner.planAppointment(id);
    return { ok: true, appointmentId: id, warnings };
  })();
}

/** A start the source wrote without an offset is read in the site's own zone, by the one rule for local times. */
function startOf(
  record: SourceAppointment,
  zone: string,
): { ok: true; at: number; warnings: Texts[] } | { ok: false; code: string; reason: Texts } {
  if (!record.localStart) return { ok: true, at: record.startsAt, warnings: [] };
  const wall = wallClockOfIso(record.localStart);
  const shown = record.localStart.slice(0, 16).replace('T', ' ');
  if (!wall) return { ok: false, code: 'invalid_time', reason: localTimeTexts.invalid(shown) };
  const local = instantOfWallClock(wall, zone);
  if (!local.ok) {
    const reason = local.code === 'skipped_time' ? localTimeTexts.skipped(shown, zone) : localTimeTexts.invalid(shown);
    return { ok: false, code: local.code, reason };
  }
  return { ok: true, at: local.at, warnings: local.ambiguous ? [localTimeTexts.ambiguous(shown, zone)] : [] };
}

function guessedSite(name: string, zone: string): Texts {
  return {
    es: `La cita no indica sede: se asignó a «${name}» y su hora se leyó en ${zone}.`,
    en: `The appointment names no site: it was given to "${name}" and its time read in ${zone}.`,
  };
}
