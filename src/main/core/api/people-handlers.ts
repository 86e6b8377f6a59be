import type { ArgsOf, HandlerName, ResultOf } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import type { SessionView } from '../../../shared/people';
import { currentCall, type Actor } from '../audit/acting';
import type { DesktopSeat } from '../people/caller';
import type { PeopleService } from '../people/people-service';
import { PeopleError, peopleReasons, type Reason } from '../people/texts';
import type { SettingsService } from '../settings/settings-service';
import { allowedHandlers } from './permissions';
import { HandlerError } from './handler-error';

type PeopleHandlerName =
  | 'session.current'
  | 'session.people'
  | 'session.unlock'
  | 'session.lock'
  | 'people.bootstrap'
  | 'people.list'
  | 'people.create'
  | 'people.update'
  | 'people.revokeSessions'
  | 'apiKeys.list'
  | 'apiKeys.create'
  | 'apiKeys.revoke';

type Handlers = { [N in PeopleHandlerName]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

export interface PeopleContext {
  people: PeopleService;
  seat: DesktopSeat;
}

const isLoopback = (address: string | null) =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** Signing in and out, the lock screen, people and API keys (Ajustes → Personas). */
export function peopleHandlers(ctx: { settings: SettingsService; access: PeopleContext }): Handlers {
  const { people, seat } = ctx.access;
  const lang = (): Language => ctx.settings.get().language;
  const fail = (code: string, reason: Reason): never => {
    throw new HandlerError(code, reason[lang()]);
  };
  /** The service's refusals carry both languages; the UI shows the clinic's. */
  const guarded = async <T>(work: () => Promise<T> | T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PeopleError) return fail(error.code, error.reason);
      throw error;
    }
  };
  const call = () => currentCall() ?? { actor: { kind: 'automation' } as Actor, transport: 'process' as const, address: null };

  const session = (actor: Actor = call().actor): SessionView => {
    const scope = call();
    const settings = ctx.settings.get();
    return {
      person: actor.kind === 'person' ? actor.person : null,
      allowed: allowedHandlers(actor, people.accessPolicy()) as HandlerName[],
      needsFirstAdmin: people.count() === 0,
      autoLockMinutes: settings.people.autoLockMinutes,
      transport: scope.transport === 'desktop' ? 'desktop' : scope.actor.kind === 'automation' ? 'automation' : 'browser',
      clinicName: settings.clinicName,
      language: settings.language,
    };
  };
  const desktopOnly = () => {
    if (call().transport !== 'desktop') fail('desktop_only', peopleReasons.desktopOnly());
  };
  const currentPersonId = (): number | null => {
    const actor = call().actor;
    return actor.kind === 'person' ? actor.person.id : null;
  };

  return {
    'session.current': () => session(),

    'session.people': () => {
      desktopOnly();
      return people
        .list()
        .filter((p) => p.active)
        .map((p) => ({ id: p.id, name: p.name, roles: p.roles, secretKind: p.secretKind }));
    },

    'session.unlock': (args) =>
      guarded(async () => {
        desktopOnly();
        const outcome = await people.signIn({ personId: args.personId }, args.secret, 'desktop', 'desktop');
        if (!outcome.ok) return fail(outcome.code, outcome.reason);
        seat.seat(outcome.token, 'switched');
        return session(seat.actor());
      }),

    'session.lock': () => {
      const scope = call();
      if (scope.transport === 'desktop') {
        seat.lock();
        return session({ kind: 'nobody' });
      }
      // A browser signs out through /api/logout, which also clears its cookie.
      return session();
    },

    'people.bootstrap': (args) =>
      guarded(async () => {
        const scope = call();
        // Beyond this computer, whoever reached the server first would become its administrator.
        if (scope.transport === 'http' && scope.actor.kind !== 'automation' && !isLoopback(scope.address)) {
          fail('bootstrap_remote', peopleReasons.bootstrapRemote());
        }
        const person = await people.bootstrap(args);
        if (scope.transport !== 'desktop') return session();
        const outcome = await people.signIn({ personId: person.id }, args.secret, 'desktop', 'desktop');
        if (outcome.ok) seat.seat(outcome.token, 'switched');
        return session(seat.actor());
      }),

    'people.list': () => people.list(),
    'people.create': (args) => guarded(() => people.create(args)),
    'people.update': (args) => guarded(() => people.update(args)),
    'people.revokeSessions': (args) => ({ revoked: people.revokeSessions(args.id) }),

    'apiKeys.list': () => people.listApiKeys(),
    'apiKeys.create': (args) => people.createApiKey(args.name, args.scopes, currentPersonId()),
    'apiKeys.revoke': (args) =>
      guarded(() => {
        people.revokeApiKey(args.id);
        return people.listApiKeys();
      }),
  };
}
