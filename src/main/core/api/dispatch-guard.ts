import type { ApiResponse, HandlerName } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import type { CallScope } from '../audit/acting';
import { resolveCaller, type Caller, type DesktopSeat } from '../people/caller';
import type { PeopleService } from '../people/people-service';
import { peopleReasons } from '../people/texts';
import { refusalFor } from './permissions';

/**
 * The permission check of the one dispatch path: who is calling (from what the transport passed) and whether the
 * handler map lets them. A refusal is an answer with a stable code and a reason in the clinic's language; HTTP sends
 * it as 401 (sign in) or 403.
 */
export function guardCall(
  name: HandlerName,
  caller: Caller,
  access: { people: PeopleService; seat: DesktopSeat },
  language: Language,
): { ok: true; scope: CallScope } | { ok: false; response: ApiResponse<never> } {
  const scope = resolveCaller(caller, access.people, access.seat);
  const refusal = refusalFor(scope.actor, name, access.people.accessPolicy());
  if (!refusal) return { ok: true, scope };
  const reason =
    refusal.code === 'sign_in_required'
      ? peopleReasons.signInRequired()
      : refusal.code === 'forbidden'
        ? refusal.toMany
          ? peopleReasons.toManyForAdmin()
          : peopleReasons.forbidden(refusal.roles)
        : refusal.scope
          ? peopleReasons.scopeMissing(refusal.scope)
          : peopleReasons.apiKeyNotAllowed();
  return { ok: false, response: { ok: false, error: { code: refusal.code, message: reason[language] } } };
}

/** The HTTP status of a refused call: 401 asks to sign in, 403 says the person (or key) may not. */
export function httpStatusOf(response: ApiResponse<unknown>): number {
  if (response.ok) return 200;
  if (response.error.code === 'sign_in_required') return 401;
  if (response.error.code === 'forbidden' || response.error.code === 'scope_missing') return 403;
  return 200;
}
