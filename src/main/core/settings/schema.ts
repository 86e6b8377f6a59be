import { z } from 'zod';

/** Everything configurable, with defaults that work at once. Secrets are not here: they live encrypted. */
export const settingsSchema = z.object({
  clinicName: z.string().default(''),
  setupComplete: z.boolean().default(false),
  language: z.enum(['es', 'en']).default('es'),
  channel: z.enum(['demo', 'cloud-api', 'linked-device']).nullable().default(null),
  sendingPaused: z.boolean().default(false),
  openAtLogin: z.boolean().default(false),
  cloudApi: z
    .object({
      baseUrl: z.string().url().default('https://graph.facebook.com'),
      apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
      phoneNumberId: z.string().default(''),
      wabaId: z.string().default(''),
    })
    .prefault({}),
  /** scrypt hash of the password that lets server mode listen beyond loopback; empty when none is set. */
  serverPasswordHash: z.string().default(''),
});

export type Settings = z.infer<typeof settingsSchema>;

export const secretNames = [
  'cloudApi.accessToken',
  'cloudApi.appSecret',
  'cloudApi.verifyToken',
  'certificate.password',
] as const;
