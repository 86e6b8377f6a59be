import { text } from '../i18n';
import { consentHistory, getConsentPolicy, setConsentPolicy } from '../store/consent-repo';
import { getPatient } from '../store/patients-repo';
import { HandlerError } from './handler-error';
import type { HandlerContext, HandlersFor } from './handler-context';

type ConsentHandlerName = 'patients.consentHistory' | 'consent.policy' | 'consent.setPolicy';
type Handlers = HandlersFor<ConsentHandlerName>;

/** Pacientes → consent history, and the clinic's policy on what still goes after an opt-out. */
export function consentHandlers(ctx: HandlerContext): Handlers {
  return {
    'patients.consentHistory': (args) => {
      if (!getPatient(ctx.db, args.patientId)) throw new HandlerError('not_found', text(ctx.settings.get().language, 'error.not_found'));
      return consentHistory(ctx.db, args.patientId).map(({ patientId: _p, replyId: _r, ...entry }) => entry);
    },
    'consent.policy': () => getConsentPolicy(ctx.db),
    'consent.setPolicy': (args) => {
      const before = getConsentPolicy(ctx.db);
      setConsentPolicy(ctx.db, args, ctx.now());
      ctx.audit('consent.policy_saved', 'consent_policy', 1, { ...args });
      // Whether an opted-out patient's reminders go is the policy's call: plan every appointment ahead again.
      if (before.remindersAfterOptOut !== args.remindersAfterOptOut) ctx.planner.planUpcoming();
      return getConsentPolicy(ctx.db);
    },
  };
}
