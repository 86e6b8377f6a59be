import type { ArgsOf, ResultOf } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import type { PersonView, ResultValidation } from '../../../shared/people';
import { currentCall, GENERIC_PERSON } from '../audit/acting';
import { appendAudit } from '../audit/audit-log';
import type { ProfessionalCredentials } from '../documents/professional-credentials';
import type { IntakeOutcome } from '../intake/incoming-result';
import { ResultsIntakeError, type ResultsIntake } from '../intake/results-intake';
import { peopleReasons } from '../people/texts';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/db';
import { getResultItem } from '../store/results-repo';
import { getValidation, insertValidation, validationsOf } from '../store/validations-repo';
import { HandlerError } from './handler-error';

type Handlers = {
  [N in 'results.validate' | 'results.validations' | 'results.validateSigned']: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>>;
};

type SignOffContext = {
  db: Db;
  settings: SettingsService;
  now: () => number;
  resultsIntake: ResultsIntake;
  professionals: ProfessionalCredentials;
};

/** A secret typed wrong (or a card that took too many): the person can type it again; nothing else was tried. */
const MISTYPED = new Set(['wrong_pin', 'wrong_password', 'pin_locked']);

/** A health professional's validation of a result: who (id, name, registry number) and when, then on its way. */
export function signOffHandlers(ctx: SignOffContext): Handlers {
  const lang = (): Language => ctx.settings.get().language;

  const professional = (): PersonView & { registryNumber: string } => {
    const actor = currentCall()?.actor;
    if (actor?.kind !== 'person' || !actor.person.roles.includes('professional') || !actor.person.registryNumber) {
      throw new HandlerError('not_professional', peopleReasons.notProfessional()[lang()]);
    }
    return { ...actor.person, registryNumber: actor.person.registryNumber };
  };

  /** Records the validation, then approves: the result goes on (signed, queued) unless something else holds it. */
  const validate = async (id: number, person: PersonView & { registryNumber: string }): Promise<{ validation: ResultValidation; outcome: IntakeOutcome | null }> => {
    const item = getResultItem(ctx.db, id);
    if (!item) throw new HandlerError('not_found', peopleReasons.notFound()[lang()]);
    const at = ctx.now();
    insertValidation(ctx.db, {
      resultId: item.id,
      personId: person.id,
      personName: person.name,
      registryNumber: person.registryNumber,
      validatedAt: at,
    });
    appendAudit(
      ctx.db,
      {
        actor: GENERIC_PERSON,
        action: 'result.validated',
        entity: 'result',
        entityId: item.id,
        data: { personName: person.name, registryNumber: person.registryNumber, kind: item.kind },
      },
      at,
    );
    let outcome: IntakeOutcome | null = null;
    if (item.intakeId !== null && item.status !== 'sent' && item.status !== 'queued') {
      try {
        outcome = await ctx.resultsIntake.approve(item.intakeId, GENERIC_PERSON);
      } catch (error) {
        if (!(error instanceof ResultsIntakeError)) throw error;
      }
    }
    return { validation: getValidation(ctx.db, item.id) as ResultValidation, outcome };
  };

  return {
    'results.validate': async (args) => (await validate(args.id, professional())).validation,
    'results.validations': (args) => validationsOf(ctx.db, args.ids),
    'results.validateSigned': async (args) => {
      const person = professional();
      // The PIN or password opens the professional's own credential for this result. A mistyped one is refused before
      // anything is recorded (never tried again: the token's retry counter is theirs), so they type it again; a token
      // that is absent leaves the result validated, waiting for their signature with the reason.
      let refusal: string | null = null;
      if (args.secret) {
        const unlocked = await ctx.professionals.unlock(person.id, args.secret);
        if (!unlocked.ok && MISTYPED.has(unlocked.code)) {
          appendAudit(
            ctx.db,
            { actor: GENERIC_PERSON, action: 'signing.professional_refused', entity: 'result', entityId: args.id, data: { code: unlocked.code } },
            ctx.now(),
          );
          throw new HandlerError(unlocked.code, unlocked.reason[lang()]);
        }
        if (!unlocked.ok) refusal = unlocked.reason[lang()];
      }
      try {
        const { validation, outcome } = await validate(args.id, person);
        const status = getResultItem(ctx.db, args.id)?.status;
        const queued = status === 'queued' || status === 'sent';
        return {
          validation,
          state: queued ? 'queued' : 'waiting',
          reason: queued ? null : (refusal ?? outcome?.reason?.[lang()] ?? null),
        };
      } finally {
        ctx.professionals.release(person.id);
      }
    },
  };
}
