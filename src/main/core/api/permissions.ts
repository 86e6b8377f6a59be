import type { HandlerName } from '../../../shared/api';
import type { ApiScope, Role } from '../../../shared/people';
import type { Actor } from '../audit/acting';

/**
 * Who may call each handler: ONE map, checked in the one dispatch path that IPC and HTTP share. A handler without an
 * entry does not compile (`satisfies` below), so nothing is reachable by forgetting it.
 *
 * - public: answered to anyone, signed in or not (the lock and sign-in screens need them);
 * - signedIn: any signed-in person, whatever their role (reading what the whole front desk sees);
 * - roles: a person holding at least one of them;
 * - scope: an API key holding it may call the handler too (keys reach nothing without a scope);
 * - toMany: it sends to many patients at once; Recepción may call it only when the clinic allows it (Ajustes →
 *   Personas), otherwise it needs Administración.
 * The server's own token (local automation) may call everything.
 */
export type Access = 'public' | 'signedIn' | { roles: readonly Role[]; scope?: ApiScope; toMany?: true };

/** What the clinic decided in its settings that the permission map reads. */
export interface AccessPolicy {
  receptionLaunchesCampaigns: boolean;
}

const ADMIN = { roles: ['admin'] } as const;
const RECEPTION = { roles: ['reception'] } as const;
const PROFESSIONAL = { roles: ['professional'] } as const;
const DESK = { roles: ['admin', 'reception'] } as const;
/** Launching a campaign, sending in bulk: Administración, and Recepción when the clinic allows it. */
const TO_MANY = { roles: ['admin', 'reception'], toMany: true } as const;

export const handlerAccess = {
  // Signing in, locking, and the first administrator.
  'session.current': 'public',
  'session.people': 'public',
  'session.unlock': 'public',
  'session.lock': 'public',
  'people.bootstrap': 'public',
  'people.list': ADMIN,
  'people.create': ADMIN,
  'people.update': ADMIN,
  'people.revokeSessions': ADMIN,
  'apiKeys.list': ADMIN,
  'apiKeys.create': ADMIN,
  'apiKeys.revoke': ADMIN,

  'app.status': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'setup.complete': ADMIN,
  'panel.summary': 'signedIn',
  'panel.csv': 'signedIn',

  // Messages: everyone reads; the front desk sends, resends and cancels.
  'messages.list': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'messages.timeline': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'messages.send': { roles: ['reception'], scope: 'send_messages' },
  'messages.resend': { roles: ['reception'], scope: 'send_messages' },
  'messages.cancel': RECEPTION,
  'messages.sendByEmail': { roles: ['reception'], scope: 'send_messages' },
  // The clinic's own systems: look up and count statuses, queue in bulk.
  'messages.lookup': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'messages.counts': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'messages.sendBulk': { ...TO_MANY, scope: 'send_messages' },
  'sending.resume': DESK,

  // Channels: administration.
  'cloudApi.templates': 'signedIn',
  'cloudApi.syncTemplates': ADMIN,
  'cloudApi.check': ADMIN,
  'cloudApi.sendTest': ADMIN,
  'linkedDevice.view': 'signedIn',
  'linkedDevice.link': ADMIN,
  'linkedDevice.unlink': ADMIN,
  'linkedDevice.reconnect': ADMIN,
  'email.sendTest': ADMIN,
  'reception.view': ADMIN,
  'reception.configure': ADMIN,
  'reception.register': ADMIN,
  'reception.test': ADMIN,

  // Backups, restore and the scheduled tasks: administration; anyone at the desk may ask to check the disk again.
  'backup.config': ADMIN,
  'backup.setConfig': ADMIN,
  'backup.runNow': ADMIN,
  'backup.list': ADMIN,
  'backup.history': ADMIN,
  'backup.checkRestore': ADMIN,
  'backup.restore': ADMIN,
  'jobs.list': ADMIN,
  'storage.retry': DESK,

  // Patients and appointments: reception.
  'patients.list': 'signedIn',
  'patients.create': RECEPTION,
  'patients.update': RECEPTION,
  'patients.consentHistory': 'signedIn',
  'patients.tags': 'signedIn',
  'patients.setTags': RECEPTION,
  'tags.list': 'signedIn',
  'consent.policy': 'signedIn',
  'consent.setPolicy': ADMIN,
  'appointments.list': 'signedIn',
  'appointments.day': 'signedIn',
  'appointments.create': { roles: ['reception'], scope: 'import_appointments' },
  'appointments.setStatus': { roles: ['reception'], scope: 'import_appointments' },
  'appointments.csvPreview': { roles: ['reception'], scope: 'import_appointments' },
  'appointments.csvImport': { roles: ['reception'], scope: 'import_appointments' },
  'reminders.rules': 'signedIn',
  'reminders.preview': 'signedIn',
  'reminders.saveRule': ADMIN,
  'reminders.deleteRule': ADMIN,
  'reminders.saveSettings': ADMIN,
  'replies.open': 'signedIn',
  'replies.attend': RECEPTION,
  'appointments.board': 'signedIn',
  'appointments.overlaps': 'signedIn',
  'appointments.reschedule': RECEPTION,
  'replies.details': 'signedIn',
  'replies.answer': RECEPTION,
  'replies.cancelAppointment': RECEPTION,

  // Results: everyone reads; reception sends and fixes; only a professional validates and issues documents.
  'results.list': { roles: ['admin', 'reception', 'professional'], scope: 'read_statuses' },
  'results.document': 'signedIn',
  'results.signature': 'signedIn',
  'results.undelivered': 'signedIn',
  'results.review': 'signedIn',
  'results.validations': 'signedIn',
  'results.send': { roles: ['reception'], scope: 'send_messages' },
  'results.resend': { roles: ['reception'], scope: 'send_messages' },
  'results.fix': RECEPTION,
  'results.retry': RECEPTION,
  'results.dismiss': RECEPTION,
  'results.approve': { roles: ['reception', 'professional'] },
  'results.validate': PROFESSIONAL,
  'documents.issue': PROFESSIONAL,

  // Campaigns and follow-up: the front desk.
  'campaigns.list': 'signedIn',
  'campaigns.preview': DESK,
  'campaigns.create': DESK,
  'campaigns.schedule': TO_MANY,
  'campaigns.cancel': DESK,
  'followUps.rules': 'signedIn',
  'followUps.saveRule': ADMIN,
  'followUps.deleteRule': ADMIN,

  // Administration: settings, certificates, sources, audit.
  'sites.list': 'signedIn',
  'services.list': 'signedIn',
  'settings.get': 'signedIn',
  'settings.update': ADMIN,
  'secrets.set': ADMIN,
  'certificate.info': 'signedIn',
  'certificate.install': ADMIN,
  // A token or DNIe: administration chooses it; whoever signs types its PIN.
  'token.modules': ADMIN,
  'token.list': ADMIN,
  'token.certificates': ADMIN,
  'token.use': ADMIN,
  'token.signPending': { roles: ['admin', 'professional'] },
  'token.lock': { roles: ['admin', 'professional'] },
  'professional.credentials': ADMIN,
  'professional.linkToken': ADMIN,
  'professional.linkP12': ADMIN,
  'professional.unlink': ADMIN,
  'professional.mine': PROFESSIONAL,
  'professional.signMine': PROFESSIONAL,
  'professional.lockMine': PROFESSIONAL,
  'results.validateSigned': PROFESSIONAL,
  'sources.clinicDb.set': ADMIN,
  'sources.clinicDb.test': ADMIN,
  'hl7.refused': ADMIN,
  'hl7.retry': ADMIN,
  'clinicDb.refused': ADMIN,
  'clinicDb.retry': ADMIN,
  'clinicDb.setSiteCodes': ADMIN,
  'remoteAccess.certificate': 'signedIn',
  'audit.verify': ADMIN,
  'evidence.export': DESK,
} as const satisfies { [N in HandlerName]: Access };

export type Refusal =
  | { code: 'sign_in_required' }
  /** toMany: refused only because the clinic keeps sending to many for Administración. */
  | { code: 'forbidden'; roles: readonly Role[]; toMany?: true }
  | { code: 'scope_missing'; scope: ApiScope | null };

/** The roles that may call a handler under the clinic's policy. */
export function rolesFor(access: Exclude<Access, 'public' | 'signedIn'>, policy: AccessPolicy): readonly Role[] {
  if (access.toMany && !policy.receptionLaunchesCampaigns) return access.roles.filter((role) => role !== 'reception');
  return access.roles;
}

/** null when the actor may call the handler; otherwise why not. */
export function refusalFor(actor: Actor, name: HandlerName, policy: AccessPolicy): Refusal | null {
  const access: Access = handlerAccess[name];
  if (access === 'public' || actor.kind === 'automation') return null;
  if (actor.kind === 'apiKey') {
    if (typeof access === 'object' && access.scope && actor.scopes.includes(access.scope)) return null;
    return { code: 'scope_missing', scope: typeof access === 'object' ? (access.scope ?? null) : null };
  }
  if (actor.kind !== 'person') return { code: 'sign_in_required' };
  if (access === 'signedIn') return null;
  const roles = rolesFor(access, policy);
  if (roles.some((role) => actor.person.roles.includes(role))) return null;
  const heldByPolicy = roles.length < access.roles.length && access.roles.some((role) => actor.person.roles.includes(role));
  // Named are the roles that would do now, so a refusal never suggests one the clinic's policy rules out.
  return heldByPolicy ? { code: 'forbidden', roles, toMany: true } : { code: 'forbidden', roles };
}

/** Every handler the actor may call: the UI shows only these. */
export function allowedHandlers(actor: Actor, policy: AccessPolicy): HandlerName[] {
  return (Object.keys(handlerAccess) as HandlerName[]).filter((name) => refusalFor(actor, name, policy) === null);
}
