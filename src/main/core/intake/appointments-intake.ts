import type { Language } from '../../../shared/domain';
import type { Planner } from '../scheduler/planner';
import type { SourceAppointment } from '../sources/clinic-db/records';
import { upsertAppointment } from '../store/appointments-repo';
import { insertService, listServices, listSites } from '../store/clinic-repo';
import type { Db } from '../store/db';
import { matchPatient } from './patient-match';

export type AppointmentIntakeOutcome =
  | { ok: true; appointmentId: number }
  | { ok: false; code: string; reason: { es: string; en: string } };

const noSite = {
  es: 'La clínica aún no tiene sedes configuradas.',
  en: 'The clinic has no sites configured yet.',
};

/**
 * An appointment from the clinic database or HL7 SIU: the patient matched (or registered when the source names them),
 * the site and service found by name, the appointment upserted by its source key and its reminders planned in the
 * same transaction — the same row read twice is one appointment with one set of reminders.
 */
export function receiveAppointment(
  db: Db,
  planner: Planner,
  record: SourceAppointment,
  ctx: { at: number; language: Language; defaultCountry: string },
): AppointmentIntakeOutcome {
  const sites = listSites(db);
  const site = sites.find((s) => s.name.toLowerCase() === record.site?.trim().toLowerCase()) ?? sites[0];
  if (!site) return { ok: false, code: 'no_site', reason: noSite };
  const p = record.patient;
  return db.transaction((): AppointmentIntakeOutcome => {
    const match = matchPatient(
      db,
      {
        ...(p.documentType ? { documentType: p.documentType } : {}),
        ...(p.documentNumber ? { documentNumber: p.documentNumber } : {}),
        ...(p.medicalRecordNumber ? { medicalRecordNumber: p.medicalRecordNumber } : {}),
        ...(p.firstNames ? { firstNames: p.firstNames } : {}),
        ...(p.lastNames ? { lastNames: p.lastNames } : {}),
        ...(p.phone ? { phone: p.phone } : {}),
      },
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
        startsAt: record.startsAt,
        status: record.status === 'rescheduled' ? 'booked' : record.status,
        source: record.source,
        sourceKey: record.sourceKey,
        professional: record.professional,
      },
      ctx.at,
    );
    planner.planAppointment(id);
    return { ok: true, appointmentId: id };
  })();
}
