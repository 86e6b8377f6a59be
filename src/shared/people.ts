// People, roles, sessions and API keys as the UI and the HTTP API see them (types only).
import type { Epoch } from './domain';

/** Administración, Recepción, Profesional de salud: a person may hold several. */
export type Role = 'admin' | 'reception' | 'professional';
export const ROLES: readonly Role[] = ['admin', 'reception', 'professional'];

/** What an API key may do, whatever else the API offers. */
export type ApiScope = 'send_messages' | 'read_statuses' | 'import_appointments';
export const API_SCOPES: readonly ApiScope[] = ['send_messages', 'read_statuses', 'import_appointments'];

export interface PersonView {
  id: number;
  name: string;
  documentNumber: string;
  roles: Role[];
  /** Colegio profesional registry (CMP, CTMP…), shown on the stamp; null unless a health professional. */
  registryNumber: string | null;
  secretKind: 'password' | 'pin';
  active: boolean;
  createdAt: Epoch;
}

/** The lock screen's list: who can unlock this computer (no document numbers). */
export interface PersonCard {
  id: number;
  name: string;
  roles: Role[];
  secretKind: 'password' | 'pin';
}

export interface SessionView {
  /** null: nobody signed in (locked desktop, or a browser that must sign in). */
  person: PersonView | null;
  /** The handlers this person may call: the UI hides the rest. */
  allowed: string[];
  /** No person exists yet: the first administrator must be created. */
  needsFirstAdmin: boolean;
  /** Desktop: lock after this many idle minutes (0: never). */
  autoLockMinutes: number;
  transport: 'desktop' | 'browser' | 'automation';
  clinicName: string;
  language: 'es' | 'en';
}

export interface PersonInput {
  name: string;
  documentNumber: string;
  roles: Role[];
  registryNumber?: string | null;
  secretKind: 'password' | 'pin';
  secret: string;
}

export interface PersonUpdate {
  id: number;
  name?: string;
  documentNumber?: string;
  roles?: Role[];
  registryNumber?: string | null;
  active?: boolean;
  /** A new password or PIN (the old one stops working, and so do the person's sessions); a new kind needs a new secret. */
  secretKind?: 'password' | 'pin';
  secret?: string;
}

export interface ApiKeyView {
  id: number;
  name: string;
  /** The first characters, to tell keys apart; the key itself is shown once, at creation. */
  prefix: string;
  scopes: ApiScope[];
  createdAt: Epoch;
  createdBy: string | null;
  lastUsedAt: Epoch | null;
  revokedAt: Epoch | null;
}

export interface ResultValidation {
  resultId: number;
  personId: number;
  personName: string;
  registryNumber: string | null;
  validatedAt: Epoch;
}

export interface PeopleHandlers {
  /** Who is signed in here, and what they may do. Answered to anyone (the lock and sign-in screens ask it). */
  'session.current': (args: Record<string, never>) => SessionView;
  /** Desktop: the people who can unlock this computer. */
  'session.people': (args: Record<string, never>) => PersonCard[];
  /** Desktop: unlock (or switch person) with a password or PIN. */
  'session.unlock': (args: { personId: number; secret: string }) => SessionView;
  /** Desktop: lock now (sending goes on); browser: sign out. */
  'session.lock': (args: Record<string, never>) => SessionView;
  /** Only while nobody exists yet: the first administrator. */
  'people.bootstrap': (args: PersonInput) => SessionView;
  'people.list': (args: Record<string, never>) => PersonView[];
  'people.create': (args: PersonInput) => PersonView;
  'people.update': (args: PersonUpdate) => PersonView;
  /** Ends every open session of the person now. */
  'people.revokeSessions': (args: { id: number }) => { revoked: number };
  'apiKeys.list': (args: Record<string, never>) => ApiKeyView[];
  /** The key is in the answer once and never again: only its hash is kept. */
  'apiKeys.create': (args: { name: string; scopes: ApiScope[] }) => { key: string; view: ApiKeyView };
  'apiKeys.revoke': (args: { id: number }) => ApiKeyView[];
  /** A health professional validates a result: recorded with their name, registry number and the time. */
  'results.validate': (args: { id: number }) => Promise<ResultValidation>;
  'results.validations': (args: { ids: number[] }) => ResultValidation[];
}
