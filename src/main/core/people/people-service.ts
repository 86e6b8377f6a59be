import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyView, ApiScope, PersonInput, PersonUpdate, PersonView, Role } from '../../../shared/people';
import { appendAudit } from '../audit/audit-log';
import type { Actor } from '../audit/acting';
import type { Db } from '../store/db';
import { activeApiKeyByHash, getApiKey, insertApiKey, listApiKeys, revokeApiKey, touchApiKey } from '../store/api-keys-repo';
import { countPeople, findPersonByDocument, getPerson, insertPerson, listPeople, updatePersonRow, type PersonRow } from '../store/people-repo';
import { getSession, insertSession, revokeSession, revokeSessionsOf, sessionsPastTheirLimits, touchSession } from '../store/person-sessions-repo';
import { deleteAttemptCounter, forgetStaleAttempts, getAttemptCounter, putAttemptCounter } from '../store/sign-in-attempts-repo';
import { loginLimiter, type CounterStore, type LimiterOptions } from './login-limiter';
import type { PeopleSettings } from '../settings/people-settings';
import { hashSecret, secretMatches, secretProblem } from './secret-hash';
import { PeopleError, peopleReasons, type Reason } from './texts';

export interface PeopleServiceOptions {
  db: Db;
  now: () => number;
  settings: () => PeopleSettings;
  limiter?: Partial<Omit<LimiterOptions, 'now' | 'counters'>>;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The sign-in counters in the database: a restart keeps every count and lockout. Keys are kept hashed: a mistyped
 * document number or an address is nobody's business once it has been counted.
 */
function storedCounters(db: Db): CounterStore {
  return {
    get: (key) => getAttemptCounter(db, sha256(key)),
    put: (key, counter) => putAttemptCounter(db, sha256(key), counter),
    delete: (key) => deleteAttemptCounter(db, sha256(key)),
    forgetStale: (before, at) => void forgetStaleAttempts(db, before, at),
  };
}

export type SignInOutcome =
  | { ok: true; token: string; person: PersonView }
  | { ok: false; code: 'wrong_secret' | 'locked' | 'slow_down' | 'inactive'; reason: Reason; retryAt: number | null };

export type Transport = 'desktop' | 'browser';

/** How a person's session ended: what they did (signed out, locked, someone else unlocked), its limits, or an admin. */
export type SessionEnd = 'signed_out' | 'locked' | 'switched' | 'expired' | 'revoked';
export type SessionEnded = { personId: number; reason: SessionEnd };

const DESKTOP_MAX_MS = 12 * 3_600_000;
export const API_KEY_PREFIX = 'avk_';

const view = ({ secretHash: _hash, ...person }: PersonRow): PersonView => person;
const hasRole = (p: { roles: Role[] }, role: Role) => p.roles.includes(role);

export type PeopleService = ReturnType<typeof createPeopleService>;

/** People, their secrets, sessions and API keys: everything about who is calling, nothing about what they may do. */
export function createPeopleService(o: PeopleServiceOptions) {
  const limiter = loginLimiter({ now: o.now, ...o.limiter, counters: storedCounters(o.db) });
  // What was opened for a person's session (their signing token kept unlocked) is closed when the session ends.
  const endListeners = new Set<(ended: SessionEnded) => void>();
  const ended = (personId: number, reason: SessionEnd): void => {
    for (const listener of endListeners) {
      try {
        listener({ personId, reason });
      } catch (error) {
        // Signing out must never fail because of what reacts to it.
        console.warn('[avisa] fin de sesión:', error instanceof Error ? error.message : error);
      }
    }
  };
  const audit = (action: string, person: { id: number; name: string } | null, data: Record<string, unknown>) =>
    appendAudit(
      o.db,
      { actor: person?.name ?? 'system', personId: person?.id ?? null, action, entity: 'person', entityId: person?.id ?? null, data },
      o.now(),
    );

  const checkedSecret = async (kind: 'password' | 'pin', secret: string): Promise<string> => {
    const problem = secretProblem(kind, secret);
    if (problem === 'pin_format') throw new PeopleError('pin_format', peopleReasons.pinFormat());
    if (problem === 'password_short') throw new PeopleError('password_short', peopleReasons.passwordShort());
    return hashSecret(secret);
  };

  const checkRegistry = (roles: Role[], registryNumber: string | null | undefined): void => {
    if (roles.includes('professional') && !registryNumber?.trim()) {
      throw new PeopleError('registry_required', peopleReasons.registryRequired());
    }
  };

  const activeAdmins = (except: number | null) =>
    listPeople(o.db).filter((p) => p.active && hasRole(p, 'admin') && p.id !== except).length;

  const create = async (input: PersonInput): Promise<PersonView> => {
    checkRegistry(input.roles, input.registryNumber);
    const documentNumber = input.documentNumber.trim();
    if (findPersonByDocument(o.db, documentNumber)) throw new PeopleError('duplicate_document', peopleReasons.duplicateDocument());
    const secretHash = await checkedSecret(input.secretKind, input.secret);
    const id = insertPerson(
      o.db,
      {
        name: input.name.trim(),
        documentNumber,
        roles: [...new Set(input.roles)],
        registryNumber: input.registryNumber?.trim() || null,
        secretKind: input.secretKind,
        secretHash,
      },
      o.now(),
    );
    const person = getPerson(o.db, id) as PersonRow;
    appendAudit(o.db, { actor: 'usuario', action: 'person.created', entity: 'person', entityId: id, data: { name: person.name, roles: person.roles } }, o.now());
    return view(person);
  };

  const newSession = (person: PersonRow, transport: Transport, address: string | null): string => {
    const token = randomBytes(32).toString('base64url');
    const s = o.settings();
    const at = o.now();
    const idleMs =
      transport === 'desktop'
        ? s.autoLockMinutes > 0 ? s.autoLockMinutes * 60_000 : DESKTOP_MAX_MS
        : s.sessionIdleMinutes * 60_000;
    const maxMs = transport === 'desktop' ? DESKTOP_MAX_MS : s.sessionMaxHours * 3_600_000;
    insertSession(o.db, { id: sha256(token), personId: person.id, transport, address, createdAt: at, idleMs, expiresAt: at + maxMs });
    return token;
  };

  return {
    /** What the clinic's settings let Recepción do beyond its role (read by the permission map at each call). */
    accessPolicy: () => ({ receptionLaunchesCampaigns: o.settings().receptionLaunchesCampaigns }),
    count: () => countPeople(o.db),
    list: (): PersonView[] => listPeople(o.db).map(view),
    get: (id: number): PersonView | null => {
      const row = getPerson(o.db, id);
      return row ? view(row) : null;
    },
    create,

    /** The first administrator, only while nobody exists. */
    async bootstrap(input: PersonInput): Promise<PersonView> {
      if (countPeople(o.db) > 0) throw new PeopleError('already_bootstrapped', peopleReasons.alreadyBootstrapped());
      return create({ ...input, roles: [...new Set<Role>(['admin', ...input.roles])] });
    },

    async update(input: PersonUpdate): Promise<PersonView> {
      const row = getPerson(o.db, input.id);
      if (!row) throw new PeopleError('not_found', peopleReasons.notFound());
      const roles = input.roles ? [...new Set(input.roles)] : row.roles;
      const active = input.active ?? row.active;
      if (hasRole(row, 'admin') && (!roles.includes('admin') || !active) && activeAdmins(row.id) === 0) {
        throw new PeopleError('last_admin', peopleReasons.lastAdmin());
      }
      const registryNumber = input.registryNumber !== undefined ? input.registryNumber?.trim() || null : row.registryNumber;
      checkRegistry(roles, registryNumber);
      const documentNumber = input.documentNumber?.trim() || row.documentNumber;
      if (documentNumber !== row.documentNumber && findPersonByDocument(o.db, documentNumber)) {
        throw new PeopleError('duplicate_document', peopleReasons.duplicateDocument());
      }
      // A PIN kept as a password (or the reverse) would not fit its own rules: a new kind comes with a new secret.
      if (input.secretKind !== undefined && input.secretKind !== row.secretKind && input.secret === undefined) {
        throw new PeopleError('secret_required', peopleReasons.secretRequired());
      }
      const secretKind = input.secretKind ?? row.secretKind;
      const secretHash = input.secret !== undefined ? await checkedSecret(secretKind, input.secret) : row.secretHash;
      const at = o.now();
      const lostRole = row.roles.some((r) => !roles.includes(r));
      updatePersonRow(
        o.db,
        row.id,
        { name: input.name?.trim() || row.name, documentNumber, roles, registryNumber, active, secretKind, secretHash },
        at,
      );
      // A new secret, a role taken away or a deactivation must not leave an old session running.
      const revoked = input.secret !== undefined || !active || lostRole ? revokeSessionsOf(o.db, row.id, at) : 0;
      if (revoked > 0) ended(row.id, 'revoked');
      const changed = Object.keys(input).filter((k) => k !== 'id' && k !== 'secret');
      appendAudit(
        o.db,
        {
          actor: 'usuario',
          action: 'person.updated',
          entity: 'person',
          entityId: row.id,
          data: {
            name: input.name?.trim() || row.name,
            changed,
            secretChanged: input.secret !== undefined,
            roles,
            active,
            registryNumber,
            documentNumber,
            revokedSessions: revoked,
          },
        },
        at,
      );
      // Resetting someone's password or PIN is an event of its own: the trail shows who reset whose.
      if (input.secret !== undefined) {
        appendAudit(
          o.db,
          { actor: 'usuario', action: 'person.secret_reset', entity: 'person', entityId: row.id, data: { name: row.name, secretKind } },
          at,
        );
      }
      return view(getPerson(o.db, row.id) as PersonRow);
    },

    revokeSessions(personId: number): number {
      const revoked = revokeSessionsOf(o.db, personId, o.now());
      appendAudit(o.db, { actor: 'usuario', action: 'person.sessions_revoked', entity: 'person', entityId: personId, data: { revoked } }, o.now());
      if (revoked > 0) ended(personId, 'revoked');
      return revoked;
    },

    /**
     * Checks a password or PIN under the attempt limits. The account is the person (by id on the desktop's list, by
     * document number in a browser, so unknown numbers are limited too); every outcome is audited.
     */
    async signIn(
      who: { personId: number } | { documentNumber: string },
      secret: string,
      transport: Transport,
      address: string,
    ): Promise<SignInOutcome> {
      const person = 'personId' in who ? getPerson(o.db, who.personId) : findPersonByDocument(o.db, who.documentNumber.trim());
      const account = person ? `person:${person.id}` : `document:${'documentNumber' in who ? who.documentNumber.trim() : who.personId}`;
      const verdict = limiter.check(account, address);
      if (!verdict.ok) {
        audit('auth.sign_in_refused', person, { code: verdict.code, on: verdict.on, transport, address, retryAt: verdict.retryAt });
        const reason = verdict.code === 'locked' ? peopleReasons.locked(verdict.retryAt, o.now()) : peopleReasons.slowDown(verdict.retryAt, o.now());
        return { ok: false, code: verdict.code, reason, retryAt: verdict.retryAt };
      }
      const matches = person ? await secretMatches(secret, person.secretHash) : (await hashSecret(secret), false);
      if (!person || !matches) {
        const { locked } = limiter.failed(account, address);
        audit('auth.sign_in_failed', person, { transport, address, account: person ? null : account });
        for (const on of locked) audit('auth.locked_out', person, { on, transport, address });
        return { ok: false, code: 'wrong_secret', reason: peopleReasons.wrongSecret(), retryAt: null };
      }
      if (!person.active) {
        audit('auth.sign_in_failed', person, { transport, address, code: 'inactive' });
        return { ok: false, code: 'inactive', reason: peopleReasons.inactive(), retryAt: null };
      }
      limiter.succeeded(account, address);
      const token = newSession(person, transport, address);
      audit('auth.signed_in', person, { transport, address });
      return { ok: true, token, person: view(person) };
    },

    /** The person behind a session token, while the session is neither revoked, idle too long, nor too old. */
    resolveSession(token: string): { person: PersonView; sessionId: string } | null {
      const id = sha256(token);
      const session = getSession(o.db, id);
      const at = o.now();
      if (!session || session.revokedAt !== null) return null;
      if (at >= session.expiresAt || at - session.lastSeenAt >= session.idleMs) {
        if (revokeSession(o.db, id, at)) ended(session.personId, 'expired');
        return null;
      }
      const person = getPerson(o.db, session.personId);
      if (!person?.active) return null;
      touchSession(o.db, id, at);
      return { person: view(person), sessionId: id };
    },

    signOut(token: string, reason: 'signed_out' | 'locked' | 'switched'): void {
      const id = sha256(token);
      const session = getSession(o.db, id);
      if (!session || !revokeSession(o.db, id, o.now())) return;
      const person = getPerson(o.db, session.personId);
      audit(reason === 'locked' ? 'auth.locked' : 'auth.signed_out', person, { transport: session.transport, reason });
      ended(session.personId, reason);
    },

    /**
     * Ends the sessions whose idle or absolute limit passed without a request noticing (a browser tab left open, a
     * desktop nobody touched): run every minute, so what they kept open closes on time, not at the next call.
     */
    endExpiredSessions(): number {
      const at = o.now();
      let count = 0;
      for (const session of sessionsPastTheirLimits(o.db, at)) {
        if (!revokeSession(o.db, session.id, at)) continue;
        count += 1;
        ended(session.personId, 'expired');
      }
      return count;
    },

    /** Called with the person each time one of their sessions ends; answers how to stop listening. */
    onSessionEnded(listener: (ended: SessionEnded) => void): () => void {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },

    async createApiKey(name: string, scopes: ApiScope[], createdBy: number | null): Promise<{ key: string; view: ApiKeyView }> {
      const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
      const id = insertApiKey(o.db, { name: name.trim(), prefix: key.slice(0, 10), keyHash: sha256(key), scopes: [...new Set(scopes)], createdBy }, o.now());
      appendAudit(o.db, { actor: 'usuario', action: 'api_key.created', entity: 'api_key', entityId: id, data: { name: name.trim(), scopes } }, o.now());
      return { key, view: getApiKey(o.db, id) as ApiKeyView };
    },
    listApiKeys: () => listApiKeys(o.db),
    revokeApiKey(id: number): void {
      const key = getApiKey(o.db, id);
      if (!key) throw new PeopleError('not_found', peopleReasons.notFound());
      if (revokeApiKey(o.db, id, o.now())) {
        appendAudit(o.db, { actor: 'usuario', action: 'api_key.revoked', entity: 'api_key', entityId: id, data: { name: key.name } }, o.now());
      }
    },
    isApiKey: (bearer: string) => bearer.startsWith(API_KEY_PREFIX),
    resolveApiKey(key: string): Extract<Actor, { kind: 'apiKey' }> | null {
      const found = activeApiKeyByHash(o.db, sha256(key));
      if (!found) return null;
      touchApiKey(o.db, found.id, o.now());
      return { kind: 'apiKey', id: found.id, name: found.name, scopes: found.scopes };
    },
  };
}
