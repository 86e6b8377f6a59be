import type { ArgsOf, ResultOf } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import { currentCall, GENERIC_PERSON } from '../audit/acting';
import { appendAudit } from '../audit/audit-log';
import { ResultsIntakeError, type ResultsIntake } from '../intake/results-intake';
import { peopleReasons } from '../people/texts';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/db';
import { getResultItem } from '../store/results-repo';
import { getValidation, insertValidation, validationsOf } from '../store/validations-repo';
import { HandlerError } from './handler-error';

type Handlers = {
  [N in 'results.validate' | 'results.validations']: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>>;
};

/** A health professional's validation of a result: who (id, name, registry number) and when, then on its way. */
export function signOffHandlers(ctx: { db: Db; settings: SettingsService; now: () => number; resultsIntake: ResultsIntake }): Handlers {
  const lang = (): Language => ctx.settings.get().language;
  return {
    'results.validate': async (args) => {
      const actor = currentCall()?.actor;
      if (actor?.kind !== 'person' || !actor.person.roles.includes('professional') || !actor.person.registryNumber) {
        throw new HandlerError('not_professional', peopleReasons.notProfessional()[lang()]);
      }
      const item = getResultItem(ctx.db, args.id);
      if (!item) throw new HandlerError('not_found', peopleReasons.notFound()[lang()]);
      const { person } = actor;
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
      // Validating is the professional's approval too: the result goes on (signed, queued) unless something else holds it.
      if (item.intakeId !== null && item.status !== 'sent' && item.status !== 'queued') {
        try {
          await ctx.resultsIntake.approve(item.intakeId, GENERIC_PERSON);
        } catch (error) {
          if (!(error instanceof ResultsIntakeError)) throw error;
        }
      }
      return getValidation(ctx.db, item.id) as NonNullable<ReturnType<typeof getValidation>>;
    },
    'results.validations': (args) => validationsOf(ctx.db, args.ids),
  };
}
