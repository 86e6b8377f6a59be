import { z } from 'zod';

// Settings of signing in and of the professional sign-off, as zod fragments the settings schema plugs in.

export const peopleSettingsSchema = z
  .object({
    /** Desktop: lock after this many minutes without keyboard or mouse (0: never). Sending goes on while locked. */
    autoLockMinutes: z.number().int().min(0).max(240).default(10),
    /** Server mode: a browser session ends after this long unused… */
    sessionIdleMinutes: z.number().int().min(1).max(240).default(30),
    /** …and after this long whatever happens. */
    sessionMaxHours: z.number().int().min(1).max(24).default(12),
    /**
     * Recepción may launch a campaign (and anything else that sends to many at once); off, only Administración may.
     * Off by default: the clinic decides whether its front desk sends campaigns.
     */
    receptionLaunchesCampaigns: z.boolean().default(false),
  })
  .prefault({});

const documentKind = z.enum(['result', 'certificate', 'attestation', 'receipt']);

export const signOffSettingsSchema = z
  .object({
    /** Kinds that never go out before a health professional validates them in Avisa. */
    requiredKinds: z.array(documentKind).default([]),
    /**
     * Sources whose own system already validated (e.g. the lab's LIS marks results as validated): their documents go
     * without a validation in Avisa when the source says they were approved.
     */
    trustedSources: z.array(z.string().min(1).max(40)).default([]),
  })
  .prefault({});

export type PeopleSettings = z.infer<typeof peopleSettingsSchema>;
export type SignOffSettings = z.infer<typeof signOffSettingsSchema>;
