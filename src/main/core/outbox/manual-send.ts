import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManualSendInput } from '../../../shared/api';
import type { Message } from '../../../shared/domain';
import { sendingChannel, type SettingsService } from '../settings/settings-service';
import type { Db } from '../store/db';
import { text } from '../i18n';
import { lastInboundAt } from '../store/messages-repo';
import { getPatient } from '../store/patients-repo';
import { OutboxError, type Outbox } from './outbox';

const WINDOW_MS = 24 * 3_600_000;
const notConsented = {
  es: 'El paciente no dio su consentimiento y no escribió en las últimas 24 horas: registre su consentimiento primero.',
  en: 'The patient has not opted in and has not written in the last 24 hours: record their consent first.',
};

/** A receptionist's own message to a patient: text inside the 24-hour window, a template, or a PDF. */
export interface ManualSendContext {
  db: Db;
  settings: SettingsService;
  outbox: Outbox;
  now: () => number;
  /** Where PDFs given by hand are kept until sent. */
  documentsDir: string;
}

export function sendManually(ctx: ManualSendContext, input: ManualSendInput, actor: string): Message {
  const lang = ctx.settings.get().language;
  const patient = getPatient(ctx.db, input.patientId);
  if (!patient) throw new OutboxError('not_found', text(lang, 'error.not_found'));
  if (!patient.phoneE164) throw new OutboxError('no_phone', text(lang, 'error.no_phone'));
  const lastIn = lastInboundAt(ctx.db, patient.phoneE164);
  const windowOpen = lastIn !== null && ctx.now() - lastIn < WINDOW_MS;
  // Outside the window this is a business-initiated message: only with the patient's opt-in.
  if (!windowOpen && patient.consent !== 'opted_in') throw new OutboxError('no_consent', notConsented[lang]);

  const base = {
    kind: 'manual' as const,
    idempotencyKey: `manual:${patient.id}:${ctx.now()}:${Math.random().toString(36).slice(2, 8)}`,
    patientId: patient.id,
    siteId: patient.siteId,
    serviceId: null,
    appointmentId: null,
    resultId: null,
    resendOf: null,
    channel: sendingChannel(ctx.settings),
    toPhone: patient.phoneE164,
    templateName: null,
    templateParams: [],
    body: '',
    priority: 0,
    notBefore: ctx.now(),
    asTemplate: !windowOpen,
  };

  switch (input.mode) {
    case 'text':
      return ctx.outbox.enqueue({ ...base, body: input.text }, actor).message;
    case 'template':
      return ctx.outbox.enqueue(
        {
          ...base,
          templateName: input.templateName,
          templateLanguage: input.templateLanguage ?? ctx.settings.get().cloudApi.templateLanguage,
          templateParams: input.templateParams,
          body: input.templateParams.join(' · '),
          asTemplate: false,
        },
        actor,
      ).message;
    case 'document': {
      const bytes = Buffer.from(input.base64, 'base64');
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new OutboxError('not_pdf', text(lang, 'error.not_pdf'));
      const hash = createHash('sha256').update(bytes).digest('hex');
      mkdirSync(ctx.documentsDir, { recursive: true });
      const path = join(ctx.documentsDir, `${hash}.pdf`);
      writeFileSync(path, bytes);
      return ctx.outbox.enqueue(
        { ...base, body: input.caption ?? '', documentPath: path, documentFilename: input.filename, asTemplate: false },
        actor,
      ).message;
    }
  }
}
