import { text } from '../i18n';
import { registerPatient, updatePatient } from '../intake/patients';
import { clinicDefaults } from '../store/clinic-repo';
import { listPatients } from '../store/patients-repo';
import { HandlerError } from './handler-error';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';

/** Pacientes: find, register and correct a patient. */
export function patientHandlers(ctx: HandlerContext): HandlersFor<'patients.list' | 'patients.create' | 'patients.update'> {
  const lang = languageOf(ctx);
  return {
    'patients.list': (args) =>
      listPatients(ctx.db, { search: args.search, limit: args.limit ?? 50, offset: args.offset ?? 0 }),

    'patients.create': (args) => {
      const patient = registerPatient(
        ctx.db,
        { ...args, email: args.email || null },
        { at: ctx.now(), language: lang(), defaultCountry: clinicDefaults(ctx.db).country },
      );
      ctx.audit('patient.created', 'patient', patient.id, { consent: patient.consent });
      return patient;
    },

    'patients.update': (args) => {
      const patient = updatePatient(ctx.db, { ...args, email: args.email === '' ? null : args.email }, {
        at: ctx.now(),
        language: lang(),
        defaultCountry: clinicDefaults(ctx.db).country,
      });
      if (!patient) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      // A new phone or consent changes which reminders can go.
      if (args.phone !== undefined || args.consent !== undefined) ctx.planner.planPatient(patient.id);
      ctx.audit('patient.updated', 'patient', patient.id, { changed: Object.keys(args).filter((k) => k !== 'id') });
      return patient;
    },
  };
}
