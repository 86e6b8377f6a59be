import { z } from 'zod';
import type { ArgsOf } from '../../../shared/api';
import type { PeopleHandlers } from '../../../shared/people';

// Arguments of the people, session, API-key and sign-off handlers, checked at the boundary like every other.
const none = z.object({}).strict();
const role = z.enum(['admin', 'reception', 'professional']);
const scope = z.enum(['send_messages', 'read_statuses', 'import_appointments']);
const id = z.number().int().positive();
const secret = z.string().min(1).max(200);
const personInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    documentNumber: z.string().trim().min(4).max(20),
    roles: z.array(role).min(1).max(3),
    registryNumber: z.string().trim().max(40).nullable().optional(),
    secretKind: z.enum(['password', 'pin']),
    secret,
  })
  .strict();

export const peopleArgSchemas = {
  'session.current': none,
  'session.people': none,
  'session.unlock': z.object({ personId: id, secret }).strict(),
  'session.lock': none,
  'people.bootstrap': personInput,
  'people.list': none,
  'people.create': personInput,
  'people.update': z
    .object({
      id,
      name: z.string().trim().min(1).max(120).optional(),
      documentNumber: z.string().trim().min(4).max(20).optional(),
      roles: z.array(role).min(1).max(3).optional(),
      registryNumber: z.string().trim().max(40).nullable().optional(),
      active: z.boolean().optional(),
      secretKind: z.enum(['password', 'pin']).optional(),
      secret: secret.optional(),
    })
    .strict(),
  'people.revokeSessions': z.object({ id }).strict(),
  'apiKeys.list': none,
  'apiKeys.create': z.object({ name: z.string().trim().min(1).max(80), scopes: z.array(scope).min(1).max(3) }).strict(),
  'apiKeys.revoke': z.object({ id }).strict(),
  'results.validate': z.object({ id }).strict(),
  'results.validations': z.object({ ids: z.array(id).max(500) }).strict(),
} satisfies { [N in keyof PeopleHandlers]: z.ZodType<ArgsOf<N>, unknown> };

/** Ajustes → Personas (the fields given; the rest stay) and the sign-off rule (patched whole, always sent complete). */
export const peopleSettingsPatch = {
  people: z
    .object({
      autoLockMinutes: z.number().int().min(0).max(240),
      sessionIdleMinutes: z.number().int().min(1).max(240),
      sessionMaxHours: z.number().int().min(1).max(24),
      receptionLaunchesCampaigns: z.boolean(),
    })
    .partial()
    .strict(),
  signOff: z
    .object({
      requiredKinds: z.array(z.enum(['result', 'certificate', 'attestation', 'receipt'])).max(4),
      trustedSources: z.array(z.string().trim().min(1).max(40)).max(20),
    })
    .strict(),
};
