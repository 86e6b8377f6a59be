import { createContext, useContext } from 'react';
import type { HandlerName } from '../../shared/api';
import type { SessionView } from '../../shared/people';

export interface SessionApi {
  session: SessionView;
  /** Whether the signed-in person may call this handler: what they cannot do is not shown. */
  can: (name: HandlerName) => boolean;
  /** Desktop: lock now; browser: sign out. */
  lock: () => void;
}

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionContext');
  return api;
}

/** For components that may render before anyone signs in (tests, the wizard): everything allowed there. */
export function useCan(): (name: HandlerName) => boolean {
  const api = useContext(SessionContext);
  return api ? api.can : () => true;
}

export function sessionApi(session: SessionView, lock: () => void): SessionApi {
  const allowed = new Set(session.allowed);
  return { session, can: (name) => allowed.has(name), lock };
}
