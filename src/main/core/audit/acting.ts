import { AsyncLocalStorage } from 'node:async_hooks';
import type { PersonView } from '../../../shared/people';
import type { ApiScope } from '../../../shared/people';

/** Who a call to the core acts for, as the dispatch path established it before any handler ran. */
export type Actor =
  | { kind: 'person'; person: PersonView; sessionId: string }
  | { kind: 'apiKey'; id: number; name: string; scopes: ApiScope[] }
  /** The server's own token (local scripts) or the process itself (tests, the CLI). */
  | { kind: 'automation' }
  /** A locked desktop, or a browser without a session. */
  | { kind: 'nobody' };

export interface CallScope {
  actor: Actor;
  /** desktop: the IPC of this computer's window; http: a browser or script over the network. */
  transport: 'desktop' | 'http' | 'process';
  address: string | null;
}

const calls = new AsyncLocalStorage<CallScope>();

/** Runs one API call with its actor known to everything it reaches (the audit trail first of all). */
export function runAs<T>(scope: CallScope, work: () => T): T {
  return calls.run(scope, work);
}

export function currentCall(): CallScope | null {
  return calls.getStore() ?? null;
}

// What the handlers have always written for "the person at the screen"; inside a call it now names that person.
export const GENERIC_PERSON = 'usuario';

/** The audit actor for "the person at the screen": the person's name and id when a call knows them. */
export function actingAs(actor: string): { actor: string; personId: number | null } {
  if (actor !== GENERIC_PERSON) return { actor, personId: null };
  const scope = currentCall();
  if (!scope) return { actor, personId: null };
  switch (scope.actor.kind) {
    case 'person':
      return { actor: scope.actor.person.name, personId: scope.actor.person.id };
    case 'apiKey':
      return { actor: `api:${scope.actor.name}`, personId: null };
    case 'automation':
      // A script with the server's token says so; the process itself (tray, tools) stays the generic person.
      return { actor: scope.transport === 'http' ? 'automation' : actor, personId: null };
    default:
      return { actor, personId: null };
  }
}
