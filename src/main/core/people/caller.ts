import type { Actor, CallScope } from '../audit/acting';
import type { PeopleService } from './people-service';

/**
 * What a transport knows about who is calling. The core turns it into an Actor before any handler runs: the desktop's
 * IPC says only "this computer's window" (the person is whoever unlocked it); HTTP passes what the request carried.
 */
export type Caller =
  /** In-process callers: tests, command-line tools. */
  | { via: 'process' }
  | { via: 'desktop' }
  | {
      via: 'http';
      address: string;
      credential:
        | { kind: 'automation' }
        | { kind: 'session'; token: string }
        | { kind: 'apiKey'; key: string }
        | null;
    };

/** The one person this computer's window acts for: set by unlocking, cleared by locking or by idle expiry. */
export interface DesktopSeat {
  actor(): Actor;
  /** The previous person's session (if any) ends: switching person is signing out and in. */
  seat(token: string, reason: 'switched'): void;
  lock(): boolean;
}

export function desktopSeat(people: PeopleService): DesktopSeat {
  let token: string | null = null;
  return {
    actor() {
      if (!token) return { kind: 'nobody' };
      const session = people.resolveSession(token);
      if (!session) {
        // Idle too long or revoked: the window shows the lock screen at its next call.
        token = null;
        return { kind: 'nobody' };
      }
      return { kind: 'person', person: session.person, sessionId: session.sessionId };
    },
    seat(next, reason) {
      if (token) people.signOut(token, reason);
      token = next;
    },
    lock() {
      if (!token) return false;
      people.signOut(token, 'locked');
      token = null;
      return true;
    },
  };
}

export function resolveCaller(caller: Caller, people: PeopleService, seat: DesktopSeat): CallScope {
  if (caller.via === 'process') return { actor: { kind: 'automation' }, transport: 'process', address: null };
  if (caller.via === 'desktop') return { actor: seat.actor(), transport: 'desktop', address: null };
  const scope = (actor: Actor): CallScope => ({ actor, transport: 'http', address: caller.address });
  const credential = caller.credential;
  if (!credential) return scope({ kind: 'nobody' });
  if (credential.kind === 'automation') return scope({ kind: 'automation' });
  if (credential.kind === 'apiKey') return scope(people.resolveApiKey(credential.key) ?? { kind: 'nobody' });
  const session = people.resolveSession(credential.token);
  return scope(session ? { kind: 'person', person: session.person, sessionId: session.sessionId } : { kind: 'nobody' });
}
