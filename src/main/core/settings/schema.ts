import { z } from 'zod';
import { folderSourceSettingsSchema, resultsSettingsSchema, signingSettingsSchema } from './results-settings';
import { clinicDbSourceSchema } from './clinic-db-settings';
import { peopleSettingsSchema, signOffSettingsSchema } from './people-settings';

const webhookReceptionSchema = z
  .object({
    /** own: the clinic's public HTTPS address; tunnel: Cloudflare Tunnel through cloudflared; none: statuses wait. */
    mode: z.enum(['none', 'own', 'tunnel']).default('none'),
    /** The full public address that reaches the receiver (own mode), e.g. https://clinica.pe/whatsapp/webhook. */
    publicUrl: z.string().default(''),
    /** named: from a token IT created (stable address); quick: trycloudflare.com, a new address each start. */
    tunnel: z.enum(['named', 'quick']).default('named'),
    /** The named tunnel's public hostname, as set up in Cloudflare (the token does not say it). */
    tunnelHostname: z.string().default(''),
    /** Where cloudflared is; empty: looked up on PATH. */
    cloudflaredPath: z.string().default(''),
    /** Register the address for the phone number (default) or for the whole WABA. */
    overrideScope: z.enum(['phone', 'waba']).default('phone'),
    /** The Cloud API sent and no webhook came for this long: "No llegan estados de WhatsApp". */
    silenceMinutes: z.number().int().min(1).max(1440).default(15),
  })
  .prefault({});

/** Everything configurable, with defaults that work at once. Secrets are not here: they live encrypted. */
const channelId = z.enum(['demo', 'cloud-api', 'linked-device']);

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
      /** Meta's default throughput is 80 messages/s per number; eligible numbers get up to 1,000. */
      maxPerSecond: z.number().int().min(1).max(1000).default(80),
      /**
       * Meta's pair rate limit is about one message every 6 s to the same number, counted from its acceptance; the gap
       * is counted from our receipt of that acceptance, with half a second to spare.
       */
      recipientGapMs: z.number().int().min(0).max(60_000).default(6500),
      /** Sent instead of free text when the 24-hour window is closed; its one body parameter carries the text. */
      fallbackTemplate: z.string().default('aviso_clinica'),
      /** Carries a PDF when the window is closed: a template with a DOCUMENT header and one body parameter. */
      documentTemplate: z.string().default('documento_clinica'),
      /** First wait after throttling or a temporary error; it doubles on each try, up to an hour. */
      retryBaseSeconds: z.number().int().min(1).max(3600).default(30),
      templateLanguage: z.string().default('es'),
      /** Where Meta's webhooks arrive (behind the clinic's reverse proxy or tunnel). */
      webhookPort: z.number().int().min(1).max(65535).default(5191),
    })
    .prefault({}),
  /** How Meta's webhooks reach this workstation: see channels/cloud-api/reception.ts. */
  webhookReception: webhookReceptionSchema,
  /** Most messages per channel per local day; 0 means no cap of Avisa's own. */
  dailyCap: z.number().int().min(0).default(0),
  /** A message left in `sending` by a crash waits this long for the provider's word before it is `unknown`. */
  unknownAfterMinutes: z.number().int().min(1).default(15),
  /** Resend an `unknown` message by itself instead of waiting for a person (off: a duplicate is worse than a delay). */
  autoResendUnknown: z.boolean().default(false),
  /**
   * Which channel each kind of message goes through, and where it goes instead when that channel definitively
   * fails (never both: the fallback only follows a failure). Kinds left out use the main channel, no fallback.
   */
  routing: z
    .partialRecord(
      z.enum(['result', 'reminder', 'document', 'campaign', 'followup', 'manual']),
      z.object({ primary: channelId, fallback: channelId.nullable() }),
    )
    .default({}),
  results: resultsSettingsSchema,
  /** Signing in: desktop auto-lock, browser session lifetimes. */
  people: peopleSettingsSchema,
  /** Kinds that need a health professional's validation before they go, and sources trusted to have validated. */
  signOff: signOffSettingsSchema,
  /** The clinic's own database, read by a configured query (passwords are secrets: clinicDb.<kind>.password). */
  clinicDb: z
    .object({
      results: clinicDbSourceSchema.nullable().default(null),
      appointments: clinicDbSourceSchema.nullable().default(null),
    })
    .prefault({}),
  /** Where each clinic-database source stopped reading; reset it to read history again. */
  clinicDbCursors: z.object({ results: z.union([z.string(), z.number()]).optional(), appointments: z.union([z.string(), z.number()]).optional() }).default({}),
  /** HL7 v2 over MLLP from the lab or scheduling system (ORU^R01 results, SIU appointments). */
  hl7: z
    .object({
      enabled: z.boolean().default(false),
      /** 127.0.0.1 unless the sending system runs on another machine. */
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(2575),
      /** Addresses allowed to connect (the lab system's); empty: any. */
      allowedAddresses: z.array(z.string()).default([]),
      /** MSH-3 / MSH-4 ids whose results need no approval; results from any other sender wait in Por revisar. */
      trustedSenders: z.array(z.string()).default([]),
      maxMessageMb: z.number().int().min(1).max(200).default(20),
      idleTimeoutSeconds: z.number().int().min(5).max(86_400).default(120),
      maxConnections: z.number().int().min(1).max(100).default(8),
      /** PEM certificate and key files: MLLP over TLS for senders across the LAN. Both empty: plain MLLP. */
      tlsCertFile: z.string().default(''),
      tlsKeyFile: z.string().default(''),
      /** The sender's location codes (AIL-3, PV1-3) that mean each site, when they are not the site's name. */
      siteCodes: z.array(z.object({ code: z.string().min(1), siteId: z.number().int() })).default([]),
    })
    .prefault({}),
  folderSource: folderSourceSettingsSchema,
  signing: signingSettingsSchema,
  /** Defaults are deliberately modest: numbers get banned after bulk sends from a phone. */
  linkedDevice: z
    .object({
      minGapSeconds: z.number().min(0).max(600).default(8),
      maxGapSeconds: z.number().min(0).max(600).default(25),
      dailyCap: z.number().int().min(0).default(150),
      firstContactDailyCap: z.number().int().min(0).default(15),
      failurePauseCount: z.number().int().min(0).default(3),
      failureWindowMinutes: z.number().int().min(1).default(30),
      warmupStartCap: z.number().int().min(0).default(30),
      warmupDays: z.number().int().min(0).max(60).default(7),
      offlineReplyMaxDays: z.number().int().min(1).max(60).default(7),
    })
    .prefault({}),
  /** The clinic's SMTP server for e-mail copies; off until a person sets it up and turns the fallback on. */
  email: z
    .object({
      fallback: z.boolean().default(false),
      host: z.string().default(''),
      port: z.number().int().min(1).max(65535).default(587),
      security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
      user: z.string().default(''),
      fromAddress: z.string().default(''),
      fromName: z.string().default(''),
    })
    .prefault({}),
  /** Set when the provider refused the account or token: sending stops until a person fixes it and resumes. */
  channelProblem: z
    .object({ code: z.string(), reason: z.string(), at: z.number() })
    .nullable()
    .default(null),
  /** The server each stored secret was entered for (see secret-targets.ts); not shown, not set through the API. */
  secretTargets: z.record(z.string(), z.string()).default({}),
});

export type Settings = z.infer<typeof settingsSchema>;

export const secretNames = [
  'cloudApi.accessToken',
  'cloudApi.appSecret',
  'cloudApi.verifyToken',
  /** A Cloudflare named tunnel's token, for the webhook reception through cloudflared. */
  'cloudApi.tunnelToken',
  'certificate.password',
  'email.password',
] as const;
