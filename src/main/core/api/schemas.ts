import { z } from 'zod';
import type { ArgsOf, HandlerName } from '../../../shared/api';
import { clinicDbSourceSchema } from '../settings/clinic-db-settings';
import { peopleArgSchemas, peopleSettingsPatch } from './people-schemas';
import { operationsArgSchemas } from './operations-schemas';
import { hl7LimitsPatch } from './hl7-settings-schema';
import { tokenSchemas } from './signing-schemas';
import { confirmationArgSchemas } from './confirmation-schemas';

// Each handler's arguments, checked at the boundary: the IPC and HTTP callers are not trusted.
const none = z.object({}).strict();
const epoch = z.number().int().nonnegative();
const page = { limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() };
const channel = z.enum(['demo', 'cloud-api', 'linked-device']);
const messageKind = z.enum(['result', 'reminder', 'document', 'campaign', 'followup', 'manual']);
const messageState = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown']);
// A message sent by hand or by an integrator; `clientKey` is the caller's idempotency key.
const clientKey = z.string().trim().min(1).max(200).optional();
const manualSend = z.discriminatedUnion('mode', [
  z.object({ patientId: z.number().int().positive(), mode: z.literal('text'), text: z.string().trim().min(1).max(4096), clientKey }),
  z.object({
    patientId: z.number().int().positive(),
    mode: z.literal('template'),
    templateName: z.string().trim().min(1).max(512),
    templateLanguage: z.string().max(15).optional(),
    templateParams: z.array(z.string().max(1024)).max(20),
    clientKey,
  }),
  z.object({
    patientId: z.number().int().positive(),
    mode: z.literal('document'),
    filename: z.string().trim().min(1).max(240),
    base64: z.string().min(8).max(30_000_000),
    caption: z.string().max(1024).optional(),
    clientKey,
  }),
]);
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'zona horaria desconocida');

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ids = z.array(z.number().int().positive()).max(100);
const campaignSegment = z
  .object({
    siteIds: ids.optional(),
    serviceIds: ids.optional(),
    lastVisitFrom: isoDay.nullable().optional(),
    lastVisitTo: isoDay.nullable().optional(),
    ageMin: z.number().int().min(0).max(130).nullable().optional(),
    ageMax: z.number().int().min(0).max(130).nullable().optional(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  })
  .strict();
const campaignContent = {
  templateName: z.string().trim().max(512).nullable(),
  templateLanguage: z.string().max(15).nullable().optional(),
  templateParams: z.array(z.string().max(1024)).max(20),
  body: z.string().max(4096),
};
const clinicDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'fecha no válida');
const panelQuery = z
  .object({
    from: clinicDay.optional(),
    to: clinicDay.optional(),
    siteId: z.number().int().nonnegative().optional(),
    serviceId: z.number().int().nonnegative().optional(),
    kind: messageKind.optional(),
    channel: z.enum(['demo', 'cloud-api', 'linked-device', 'email']).optional(),
    period: z.enum(['day', 'week']).optional(),
    breakdown: z.enum(['site', 'service', 'kind', 'channel']).optional(),
  })
  .strict();

export const argSchemas = {
  ...peopleArgSchemas,
  'app.status': none,
  'setup.complete': z.object({
    clinicName: z.string().trim().min(1).max(120),
    sites: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(120),
          country: z.string().regex(/^[A-Z]{2}$/),
          timeZone,
        }),
      )
      .min(1)
      .max(50),
    services: z.array(z.object({ name: z.string().trim().min(1).max(120) })).min(1).max(200),
    channel,
    language: z.enum(['es', 'en']).optional(),
  }),
  'panel.summary': panelQuery,
  'panel.csv': panelQuery,
  'messages.list': z.object({ state: messageState.optional(), search: z.string().max(100).optional(), openFailures: z.boolean().optional(), ...page }),
  'messages.resend': z.object({ id: z.number().int().positive() }),
  'messages.cancel': z.object({ id: z.number().int().positive() }),
  'messages.sendByEmail': z.object({ id: z.number().int().positive() }),
  'messages.timeline': z.object({ id: z.number().int().positive() }),
  'messages.send': manualSend,
  'messages.lookup': z.union([
    z.object({ id: z.number().int().positive() }).strict(),
    z.object({ clientKey: z.string().trim().min(1).max(200) }).strict(),
    z.object({ providerId: z.string().trim().min(1).max(200) }).strict(),
  ]),
  'messages.counts': z.object({ channel: z.enum(['demo', 'cloud-api', 'linked-device', 'email']).optional(), kind: messageKind.optional() }).strict(),
  'messages.sendBulk': z.object({ messages: z.array(manualSend).min(1).max(500) }).strict(),
  'sending.resume': none,
  'cloudApi.templates': none,
  'cloudApi.syncTemplates': none,
  'cloudApi.check': none,
  'linkedDevice.view': none,
  'linkedDevice.link': z.discriminatedUnion('method', [
    z.object({ method: z.literal('qr') }),
    z.object({ method: z.literal('code'), phone: z.string().min(6).max(40) }),
  ]),
  'linkedDevice.unlink': none,
  'linkedDevice.reconnect': none,
  'cloudApi.sendTest': z.object({ phone: z.string().min(3).max(40), text: z.string().max(1024).optional() }),
  'reception.view': none,
  'reception.configure': z
    .object({
      mode: z.enum(['none', 'own', 'tunnel']),
      publicUrl: z.union([z.literal(''), z.url({ protocol: /^https$/ })]),
      tunnel: z.enum(['named', 'quick']),
      tunnelHostname: z.string().trim().max(255),
      cloudflaredPath: z.string().trim().max(1024),
      overrideScope: z.enum(['phone', 'waba']),
      silenceMinutes: z.number().int().min(1).max(1440),
    })
    .partial()
    .strict(),
  'reception.register': none,
  'reception.test': none,
  'patients.list': z.object({ search: z.string().max(100).optional(), ...page }),
  'patients.create': z.object({
    firstNames: z.string().trim().min(1).max(120),
    lastNames: z.string().trim().min(1).max(120),
    documentType: z.enum(['DNI', 'CE', 'PASAPORTE']),
    documentNumber: z.string().trim().min(4).max(20),
    birthDate: z.iso.date().nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.email().nullable().optional().or(z.literal('')),
    siteId: z.number().int().positive().nullable().optional(),
    consent: z.boolean().optional(),
  }),
  'patients.update': z.object({
    id: z.number().int().positive(),
    firstNames: z.string().trim().min(1).max(120).optional(),
    lastNames: z.string().trim().min(1).max(120).optional(),
    birthDate: z.iso.date().nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.email().nullable().optional().or(z.literal('')),
    siteId: z.number().int().positive().nullable().optional(),
    consent: z.boolean().optional(),
  }),
  'appointments.list': z.object({ from: epoch, to: epoch, siteId: z.number().int().positive().optional() }),
  'appointments.day': z.object({ from: epoch, to: epoch, siteId: z.number().int().positive().optional() }),
  'appointments.create': z.object({
    patientId: z.number().int().positive(),
    siteId: z.number().int().positive(),
    serviceId: z.number().int().positive(),
    startsAt: epoch,
  }),
  'appointments.setStatus': z.object({
    id: z.number().int().positive(),
    status: z.enum(['booked', 'cancelled', 'attended', 'no_show']),
  }),
  'patients.consentHistory': z.object({ patientId: z.number().int().positive() }),
  'consent.policy': none,
  'consent.setPolicy': z
    .object({ resultsAfterOptOut: z.boolean(), documentsAfterOptOut: z.boolean(), remindersAfterOptOut: z.boolean() })
    .strict(),
  // A clinic's day or month of appointments; 5 MB is far beyond any agenda export.
  'appointments.csvPreview': z.object({ csv: z.string().max(5_000_000) }),
  'appointments.csvImport': z.object({ csv: z.string().max(5_000_000) }),
  'reminders.rules': none,
  'reminders.saveRule': z.object({
    id: z.number().int().positive().optional(),
    siteId: z.number().int().positive().nullable(),
    serviceId: z.number().int().positive().nullable(),
    leadMinutes: z.number().int().min(5).max(30 * 24 * 60),
    templateName: z.string().trim().min(1).max(512),
    templateLanguage: z.string().max(15).optional(),
    enabled: z.boolean().optional(),
  }),
  'reminders.deleteRule': z.object({ id: z.number().int().positive() }),
  'reminders.saveSettings': z.object({
    siteId: z.number().int().positive().nullable(),
    quietHours: z
      .object({ startMinute: z.number().int().min(0).max(1439), endMinute: z.number().int().min(0).max(1439) })
      .nullable()
      .optional(),
    minLeadMinutes: z.number().int().min(0).max(7 * 24 * 60).optional(),
    catchUpMinBeforeMinutes: z.number().int().min(0).max(7 * 24 * 60).optional(),
  }),
  'reminders.preview': z.object({
    siteId: z.number().int().positive(),
    serviceId: z.number().int().positive(),
    startsAt: epoch,
    bookedAt: epoch.optional(),
  }),
  'replies.open': none,
  'replies.attend': z.object({ replyId: z.number().int().positive() }),
  'results.list': z.object({ ...page, filter: z.enum(['incoming', 'signed', 'sent', 'failed', 'dismissed']).optional() }),
  'results.document': z.object({ id: z.number().int().positive(), of: z.enum(['result', 'review']).optional() }),
  'results.send': z.object({ id: z.number().int().positive() }),
  'results.resend': z.object({ id: z.number().int().positive() }),
  'results.review': z.object(page),
  'results.undelivered': z.object(page),
  'documents.issue': z.object({
    requestId: z.string().uuid(),
    patientId: z.number().int().positive(),
    kind: z.enum(['result', 'certificate', 'attestation', 'receipt']),
    title: z.string().trim().min(1).max(200),
    content: z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), body: z.string().trim().min(1).max(8000) }),
      z.object({ type: z.literal('pdf'), base64: z.string().min(16).max(30_000_000), filename: z.string().trim().min(1).max(200) }),
    ]),
  }),
  'results.fix': z.object({
    id: z.number().int().positive(),
    patientId: z.number().int().positive().optional(),
    documentType: z.enum(['DNI', 'CE', 'PASAPORTE']).optional(),
    documentNumber: z.string().trim().min(4).max(20).optional(),
    medicalRecordNumber: z.string().trim().max(40).optional(),
    firstNames: z.string().trim().min(1).max(120).optional(),
    lastNames: z.string().trim().min(1).max(120).optional(),
    phone: z.string().max(40).optional(),
    consent: z.boolean().optional(),
    kind: z.enum(['result', 'certificate', 'attestation', 'receipt']).optional(),
    title: z.string().trim().min(1).max(200).optional(),
  }),
  'results.approve': z.object({ id: z.number().int().positive() }),
  'results.retry': z.object({ id: z.number().int().positive() }),
  'results.dismiss': z.object({ id: z.number().int().positive() }),
  'certificate.info': none,
  'hl7.refused': none,
  'hl7.retry': z.object({ id: z.number().int().positive() }),
  'clinicDb.refused': none,
  'clinicDb.retry': z.object({ id: z.number().int().positive() }),
  'clinicDb.setSiteCodes': z.object({
    siteCodes: z.array(z.object({ code: z.string().trim().min(1).max(100), siteId: z.number().int().positive() })).max(200),
  }),
  'remoteAccess.certificate': none,
  'sources.clinicDb.set': z.object({
    kind: z.enum(['results', 'appointments']),
    config: clinicDbSourceSchema.nullable(),
    password: z.string().max(512).optional(),
  }),
  'sources.clinicDb.test': z.object({ kind: z.enum(['results', 'appointments']) }),
  'certificate.install': z.object({ base64: z.string().min(16).max(2_000_000), password: z.string().max(512) }),
  ...tokenSchemas,
  'sites.list': none,
  'services.list': none,
  'settings.get': none,
  'settings.update': z
    .object({
      ...peopleSettingsPatch,
      clinicName: z.string().trim().min(1).max(120),
      language: z.enum(['es', 'en']),
      channel: channel.nullable(),
      sendingPaused: z.boolean(),
      openAtLogin: z.boolean(),
      dailyCap: z.number().int().min(0).max(1_000_000),
      unknownAfterMinutes: z.number().int().min(1).max(7 * 24 * 60),
      autoResendUnknown: z.boolean(),
      folderSource: z
        .object({
          enabled: z.boolean(),
          path: z.string().max(1024),
          pattern: z.string().min(1).max(200),
          usePolling: z.boolean(),
          pollIntervalMs: z.number().int().min(50).max(60_000),
          stabilityMs: z.number().int().min(50).max(120_000),
          sidecarWaitMs: z.number().int().min(0).max(600_000),
          signedCopy: z.boolean(),
        })
        .partial(),
      hl7: z
        .object({
          enabled: z.boolean(),
          host: z.string().min(1).max(255),
          port: z.number().int().min(0).max(65535),
          siteCodes: z.array(z.object({ code: z.string().trim().min(1).max(100), siteId: z.number().int().positive() })).max(500),
        })
        .extend(hl7LimitsPatch)
        .partial(),
      signing: z
        .object({
          location: z.string().max(200),
          tsaUrl: z.string().max(500),
          tsaOptional: z.boolean(),
          revocationOptional: z.boolean(),
          stampPage: z.enum(['first', 'last']),
          stampWhenFull: z.enum(['signature_page', 'invisible']),
          certifiedPdf: z.enum(['invisible', 'refuse']),
          credential: z.enum(['p12', 'token']),
          keepTokenSession: z.boolean(),
          sealProfessionalSignatures: z.boolean(),
          keepProfessionalSession: z.boolean(),
        })
        .partial(),
      results: z
        .object({
          requireManualApproval: z.boolean(),
          defaultDocumentType: z.enum(['DNI', 'CE', 'PASAPORTE']),
          viewerUrlTemplate: z.string().max(500),
          orthancUrl: z.string().max(500),
          orthancUsername: z.string().max(200),
          portalUrlTemplate: z.string().max(500),
          portalUrlTemplates: z.record(z.string().regex(/^\d+$/), z.string().max(500)),
          kinds: z.partialRecord(
            z.enum(['result', 'certificate', 'attestation', 'receipt']),
            z.object({
              signature: z.enum(['required', 'if_available', 'never']),
              template: z.string().min(1).max(512),
              imagingTemplate: z.string().max(512),
              filePrefix: z.string().min(1).max(60),
              signReason: z.string().min(1).max(200),
              stampCorner: z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left']).default('bottom-right'),
              padesLevel: z.enum(['B-T', 'B-LT', 'B-LTA']).default('B-LT'),
            }),
          ),
        })
        .partial(),
      routing: z.partialRecord(
        messageKind,
        z.object({ primary: channel, fallback: channel.nullable() }).refine((r) => r.primary !== r.fallback, 'el canal de respaldo debe ser otro'),
      ),
      linkedDevice: z
        .object({
          minGapSeconds: z.number().min(0).max(600),
          maxGapSeconds: z.number().min(0).max(600),
          dailyCap: z.number().int().min(0).max(100_000),
          firstContactDailyCap: z.number().int().min(0).max(100_000),
          failurePauseCount: z.number().int().min(0).max(1000),
          failureWindowMinutes: z.number().int().min(1).max(24 * 60),
          warmupStartCap: z.number().int().min(0).max(100_000),
          warmupDays: z.number().int().min(0).max(60),
          offlineReplyMaxDays: z.number().int().min(1).max(60),
        })
        .partial(),
      email: z
        .object({
          fallback: z.boolean(),
          host: z.string().trim().max(255),
          port: z.number().int().min(1).max(65535),
          security: z.enum(['tls', 'starttls', 'none']),
          user: z.string().max(255),
          fromAddress: z.email().or(z.literal('')),
          fromName: z.string().max(120),
        })
        .partial(),
      cloudApi: z
        .object({
          baseUrl: z.url(),
          apiVersion: z.string().regex(/^v\d+\.\d+$/),
          phoneNumberId: z.string().max(40),
          wabaId: z.string().max(40),
          maxPerSecond: z.number().int().min(1).max(1000),
          recipientGapMs: z.number().int().min(0).max(60_000),
          fallbackTemplate: z.string().max(512),
          documentTemplate: z.string().max(512),
          retryBaseSeconds: z.number().int().min(1).max(3600),
          templateLanguage: z.string().max(15),
          webhookPort: z.number().int().min(1).max(65535),
        })
        .partial(),
    })
    .partial()
    .strict(),
  'secrets.set': z.object({
    name: z.enum(['cloudApi.accessToken', 'cloudApi.appSecret', 'cloudApi.verifyToken', 'cloudApi.tunnelToken', 'certificate.password', 'email.password']),
    value: z.string().min(1).max(4096),
  }),
  'audit.verify': none,

  // Campañas, post-visit follow-up and patient tags.
  'campaigns.list': none,
  'campaigns.preview': z.object({ segment: campaignSegment }),
  'campaigns.create': z.object({
    name: z.string().trim().min(1).max(120),
    segment: campaignSegment,
    ...campaignContent,
    maxPerMinute: z.number().int().min(1).max(1000).optional(),
    maxPerHour: z.number().int().min(1).max(100_000).optional(),
  }),
  'campaigns.schedule': z.object({
    id: z.number().int().positive(),
    localDateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/).optional(),
  }),
  'campaigns.cancel': z.object({ id: z.number().int().positive() }),
  'followUps.rules': none,
  'followUps.saveRule': z.object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(120),
    serviceId: z.number().int().positive().nullable(),
    daysAfter: z.number().int().min(0).max(365),
    hourOfDay: z.number().int().min(0).max(23),
    enabled: z.boolean().optional(),
    ...campaignContent,
  }),
  'followUps.deleteRule': z.object({ id: z.number().int().positive() }),
  'tags.list': none,
  'patients.tags': z.object({ ids: z.array(z.number().int().positive()).max(500) }),
  'patients.setTags': z.object({
    id: z.number().int().positive(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20),
  }),
  'email.sendTest': z.object({ to: z.email() }),
  'evidence.export': z
    .object({ patientId: z.number().int().positive(), from: epoch.optional(), to: epoch.optional(), format: z.enum(['csv', 'pdf']) })
    .refine((a) => a.from === undefined || a.to === undefined || a.from < a.to, 'el inicio debe ser anterior al fin'),
  ...operationsArgSchemas,
  ...confirmationArgSchemas,
} satisfies { [N in HandlerName]: z.ZodType<ArgsOf<N>, unknown> };
