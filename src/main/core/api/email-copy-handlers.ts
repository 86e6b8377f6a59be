import type { Language, Message } from '../../../shared/domain';
import { RECIPIENT_FAILURE_CODES } from '../../../shared/failure-codes';
import { smtpConfigured } from '../channels/email/email-channel';
import { getMessage, messageRecordOf } from '../store/messages-repo';
import { getPatient } from '../store/patients-repo';
import { HandlerError } from './handler-error';
import { languageOf, USER, type HandlerContext, type HandlersFor } from './handler-context';

type Why = 'not_failed' | 'not_permanent' | 'no_document' | 'no_email' | 'smtp_off';

const reasons: Record<Why, Record<Language, string>> = {
  not_failed: {
    es: 'Solo un mensaje que falló puede enviarse por correo.',
    en: 'Only a message that failed can be sent by e-mail.',
  },
  not_permanent: {
    es: 'Este mensaje puede volver a intentarse por WhatsApp: use Reenviar.',
    en: 'This message can be tried again on WhatsApp: use Resend.',
  },
  no_document: {
    es: 'El mensaje no lleva un documento que enviar por correo.',
    en: 'The message carries no document to send by e-mail.',
  },
  no_email: {
    es: 'El paciente no tiene correo electrónico: agréguelo en Pacientes.',
    en: 'The patient has no e-mail address: add it in Patients.',
  },
  smtp_off: {
    es: 'El correo no está configurado: complete Ajustes → Correo (SMTP).',
    en: 'E-mail is not set up: fill in Settings → E-mail (SMTP).',
  },
};

/** Where a failed message's document can go by e-mail now, or why it cannot. */
function emailTarget(ctx: Pick<HandlerContext, 'db' | 'settings'>, m: Message): { to: string } | { why: Why } {
  if (m.state !== 'failed' || m.channel === 'email') return { why: 'not_failed' };
  // Only when WhatsApp cannot take the number: anything else is better retried on WhatsApp itself.
  if (m.lastErrorCode === null || !RECIPIENT_FAILURE_CODES.has(m.lastErrorCode)) return { why: 'not_permanent' };
  if (!messageRecordOf(ctx.db, m.id).documentPath) return { why: 'no_document' };
  const email = m.patientId === null ? null : (getPatient(ctx.db, m.patientId)?.email ?? null);
  if (!email) return { why: 'no_email' };
  if (!smtpConfigured(ctx.settings.get().email)) return { why: 'smtp_off' };
  return { to: email };
}

/** Failed messages that can go by e-mail say to which address, so Mensajes offers "Enviar por correo" only then. */
export function withEmailCopyTargets(ctx: Pick<HandlerContext, 'db' | 'settings'>, messages: Message[]): Message[] {
  return messages.map((m) => {
    if (m.state !== 'failed' || m.lastErrorCode === null || !RECIPIENT_FAILURE_CODES.has(m.lastErrorCode)) return m;
    const target = emailTarget(ctx, m);
    return 'to' in target ? { ...m, emailCopyTo: target.to } : m;
  });
}

/**
 * "Enviar por correo": a message WhatsApp cannot deliver to this number goes, with its document attached, to the
 * patient's e-mail through the clinic's SMTP server, as a new row pointing at the failed one. Asked twice, it is the
 * same copy (the automatic e-mail fallback uses the same key), never a second e-mail.
 */
export function emailCopyHandlers(ctx: HandlerContext): HandlersFor<'messages.sendByEmail'> {
  const lang = languageOf(ctx);
  return {
    'messages.sendByEmail': ({ id }) => {
      const failed = getMessage(ctx.db, id);
      if (!failed) throw new HandlerError('not_found', lang() === 'es' ? 'No se encontró el mensaje.' : 'The message was not found.');
      const target = emailTarget(ctx, failed);
      if ('why' in target) throw new HandlerError(target.why, reasons[target.why][lang()]);
      const { message, created } = ctx.outbox.enqueue(
        {
          ...messageRecordOf(ctx.db, id),
          idempotencyKey: `${failed.idempotencyKey}:email`,
          resendOf: id,
          channel: 'email',
          channelFixed: true,
          toEmail: target.to,
          notBefore: ctx.now(),
        },
        USER,
      );
      if (created) ctx.audit('message.email_requested', 'message', id, { newMessageId: message.id, to: target.to });
      return message;
    },
  };
}
