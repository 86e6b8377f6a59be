import { DateTime } from 'luxon';
import type { ClinicDbRefusedView } from '../../../shared/api';
import { text } from '../i18n';
import { retryClinicDbAppointment, type ClinicDbIntakeContext, type KeptRecord } from '../intake/clinic-db-appointments';
import { clinicDefaults } from '../store/clinic-repo';
import { openClinicDbRefused, type ClinicDbRefusedRow } from '../store/clinic-db-refused-repo';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';
import { HandlerError } from './handler-error';

type Handlers = HandlersFor<'clinicDb.refused' | 'clinicDb.retry' | 'clinicDb.setSiteCodes'>;

const LIST_LIMIT = 200;

/** Ajustes → Base de datos de la clínica → refused appointments: the list with reasons, site codes, processing again. */
export function clinicDbHandlers(ctx: HandlerContext): Handlers {
  const lang = languageOf(ctx);
  const intakeContext = (): ClinicDbIntakeContext => ({
    at: ctx.now(),
    language: lang(),
    defaultCountry: clinicDefaults(ctx.db).country,
    siteCodes: ctx.settings.get().clinicDb.appointments?.siteCodes ?? [],
  });
  return {
    'clinicDb.refused': () => openClinicDbRefused(ctx.db, LIST_LIMIT).map((r) => refusedView(r, lang())),

    'clinicDb.retry': ({ id }) => {
      const outcome = retryClinicDbAppointment(ctx.db, ctx.planner, id, intakeContext());
      if ('missing' in outcome) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      ctx.audit('clinic_db.appointment_retried', 'clinic_db_refused', id, { taken: outcome.taken });
      return { taken: outcome.taken, reason: outcome.taken ? null : lang() === 'en' ? outcome.en : outcome.es };
    },

    'clinicDb.setSiteCodes': ({ siteCodes }) => {
      const current = ctx.settings.get().clinicDb;
      if (!current.appointments) throw new HandlerError('not_configured', text(lang(), 'error.not_found'));
      const appointments = { ...current.appointments, siteCodes };
      ctx.settings.update({ clinicDb: { ...current, appointments } });
      ctx.audit('sources.clinic_db_site_codes', 'source', 'appointments', { codes: siteCodes.length });
      return ctx.settings.get().clinicDb.appointments;
    },
  };
}

function refusedView(r: ClinicDbRefusedRow, language: 'es' | 'en'): ClinicDbRefusedView {
  const record = JSON.parse(r.record) as KeptRecord;
  const reason = language === 'en' ? r.reasonEn : r.reasonEs;
  if (record.kind === 'unread-result') {
    const row = { appointmentId: record.resultId, patientName: '', site: null, start: '' };
    return { id: r.id, receivedAt: r.receivedAt, kind: 'result', ...row, code: r.code, reason, detail: record.detail };
  }
  if (record.kind === 'unread') {
    const row = { appointmentId: record.appointmentId, patientName: '', site: null, start: '' };
    return { id: r.id, receivedAt: r.receivedAt, kind: 'appointment', ...row, code: r.code, reason, detail: null };
  }
  const p = record.patient;
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    kind: 'appointment',
    appointmentId: record.appointmentId,
    patientName: [p.firstNames, p.lastNames].filter(Boolean).join(' ') || p.documentNumber || '',
    site: record.site,
    start: record.localStart
      ? record.localStart.slice(0, 16).replace('T', ' ')
      : DateTime.fromMillis(record.startsAt, { zone: record.timeZone ?? 'UTC' }).toFormat(record.timeZone ? 'yyyy-MM-dd HH:mm' : "yyyy-MM-dd HH:mm 'UTC'"),
    code: r.code,
    reason,
    detail: null,
  };
}
