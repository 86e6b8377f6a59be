import { readFile } from 'node:fs/promises';
import { createTransport } from 'nodemailer';
import type { Language } from '../../../../shared/domain';
import type { EmailSettingsView } from '../../../../shared/settings';
import type { Channel, OutgoingMessage, SendOutcome } from '../channel';
import { emailContent } from './email-content';
import { classifySmtpError, type SmtpFailure } from './smtp-errors';

export interface SmtpConfig extends EmailSettingsView {
  password: string | null;
}

/** Enough to try: a server and a sender. User and password are optional (a relay inside the clinic may not ask). */
export function smtpConfigured(c: Pick<EmailSettingsView, 'host' | 'fromAddress'>): boolean {
  return c.host.trim() !== '' && c.fromAddress.trim() !== '';
}

function transportFor(c: SmtpConfig) {
  return createTransport({
    host: c.host,
    port: c.port,
    secure: c.security === 'tls',
    requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
    // A clinic's server answers in seconds or not at all: fail the attempt and retry later instead of hanging a slot.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

const fromOf = (c: SmtpConfig) => (c.fromName.trim() ? { name: c.fromName.trim(), address: c.fromAddress } : c.fromAddress);

export interface EmailChannelOptions {
  config: SmtpConfig;
  language: () => Language;
  clinicName: () => string;
  /** The synced BODY text of a WhatsApp template, to say the same words by e-mail. */
  templateBody: (name: string, language: string | null) => string | null;
}

export type EmailFailure = { ok: false; code: string; reason: string; failure: SmtpFailure['failure'] };

const failed = (f: SmtpFailure, language: Language): EmailFailure => ({
  ok: false,
  code: f.code,
  reason: f[language],
  failure: f.failure,
});

/** The clinic's SMTP server behind the same Channel interface: it only carries copies WhatsApp could not deliver. */
export function emailChannel(o: EmailChannelOptions): Channel {
  const transport = transportFor(o.config);
  return {
    id: 'email',
    // Small clinic servers (and hosted ones like Gmail's) throttle bursts; a handful a second is plenty for copies.
    maxPerSecond: 5,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const language = o.language();
      if (!message.toEmail) {
        return failed(
          {
            code: 'no_email',
            failure: 'permanent',
            es: 'El paciente no tiene correo electrónico registrado.',
            en: 'The patient has no e-mail address on file.',
          },
          language,
        );
      }
      let attachment: Buffer | null = null;
      if (message.document) {
        try {
          attachment = await readFile(message.document.path);
        } catch {
          return failed(
            {
              code: 'document_missing',
              failure: 'permanent',
              es: 'No se encontró el PDF que debía adjuntarse.',
              en: 'The PDF to attach was not found.',
            },
            language,
          );
        }
      }
      const content = emailContent({
        kind: message.kind,
        language,
        clinicName: o.clinicName(),
        body: message.body,
        templateBody: message.templateName ? o.templateBody(message.templateName, message.templateLanguage) : null,
        templateParams: message.templateParams,
        hasDocument: attachment !== null,
      });
      try {
        const info = await transport.sendMail({
          from: fromOf(o.config),
          to: message.toEmail,
          subject: content.subject,
          text: content.text,
          html: content.html,
          attachments: attachment
            ? [{ filename: message.document?.filename ?? 'documento.pdf', content: attachment, contentType: 'application/pdf' }]
            : [],
          headers: { 'X-Avisa-Message': String(message.id) },
        });
        if (info.rejected.length > 0) return failed(classifySmtpError({ code: 'EENVELOPE', responseCode: 550 }), language);
        return { ok: true, providerId: info.messageId };
      } catch (error) {
        return failed(classifySmtpError(error), language);
      }
    },
    close: () => transport.close(),
  };
}

/** "Enviar prueba": one e-mail now, outside the queue, so a person sees at once whether the settings work. */
export async function sendTestEmail(
  config: SmtpConfig,
  to: string,
  language: Language,
  clinicName: string,
): Promise<{ ok: true; messageId: string } | EmailFailure> {
  const transport = transportFor(config);
  try {
    const content = emailContent({
      kind: 'manual',
      language,
      clinicName,
      body:
        language === 'es'
          ? 'Este es un correo de prueba de Avisa: la configuración SMTP funciona.'
          : 'This is a test e-mail from Avisa: the SMTP settings work.',
      templateBody: null,
      templateParams: [],
      hasDocument: false,
      isCopy: false,
    });
    const info = await transport.sendMail({ from: fromOf(config), to, subject: content.subject, text: content.text, html: content.html });
    return { ok: true, messageId: info.messageId };
  } catch (error) {
    return failed(classifySmtpError(error), language);
  } finally {
    transport.close();
  }
}
