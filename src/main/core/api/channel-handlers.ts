import { sendTestEmail, smtpConfigured } from '../channels/email/email-channel';
import { text } from '../i18n';
import { normalisePhone } from '../intake/phone';
import { sendingChannel } from '../settings/settings-service';
import { listSites } from '../store/clinic-repo';
import { HandlerError } from './handler-error';
import { languageOf, statusOf, USER, type HandlerContext, type HandlersFor } from './handler-context';

type ChannelHandlerName =
  | 'sending.resume'
  | 'linkedDevice.view'
  | 'linkedDevice.link'
  | 'linkedDevice.unlink'
  | 'linkedDevice.reconnect'
  | 'cloudApi.templates'
  | 'cloudApi.syncTemplates'
  | 'cloudApi.check'
  | 'cloudApi.sendTest'
  | 'email.sendTest';

/** Ajustes → Envío: resuming, the linked phone, the Cloud API's templates and checks, and the SMTP test. */
export function channelHandlers(ctx: HandlerContext): HandlersFor<ChannelHandlerName> {
  const lang = languageOf(ctx);
  return {
    'sending.resume': async () => {
      ctx.settings.update({ sendingPaused: false, channelProblem: null });
      ctx.channels.linkedDevice.resume();
      ctx.audit('sending.resumed', 'channel', ctx.settings.get().channel);
      await ctx.onSendingChanged();
      return statusOf(ctx);
    },

    'linkedDevice.view': () => ctx.channels.linkedDevice.view(),
    'linkedDevice.link': (args) => {
      ctx.audit('linked_device.link', 'channel', 'linked-device', { method: args.method });
      return ctx.channels.linkedDevice.link(args);
    },
    'linkedDevice.unlink': async () => {
      ctx.audit('linked_device.unlink', 'channel', 'linked-device');
      return ctx.channels.linkedDevice.unlink();
    },
    'linkedDevice.reconnect': () => {
      ctx.audit('linked_device.reconnect', 'channel', 'linked-device');
      return ctx.channels.linkedDevice.reconnect();
    },

    'cloudApi.templates': () => ctx.channels.templates(),
    'cloudApi.syncTemplates': async () => {
      try {
        const templates = await ctx.channels.syncTemplates();
        ctx.audit('templates.synced', 'templates', null, { count: templates.length });
        return templates;
      } catch (error) {
        ctx.audit('templates.sync_failed', 'templates', null);
        throw new HandlerError('sync_failed', error instanceof Error ? error.message : String(error));
      }
    },
    'cloudApi.check': () => ctx.channels.check(),
    'cloudApi.sendTest': (args) => {
      const site = listSites(ctx.db)[0];
      const phone = normalisePhone(args.phone, site?.country ?? 'PE');
      if (!phone.ok) throw new HandlerError('invalid_phone', text(lang(), `phone.${phone.code}`));
      const message = ctx.outbox.enqueue(
        {
          kind: 'manual',
          idempotencyKey: `test:${ctx.now()}`,
          patientId: null,
          siteId: site?.id ?? null,
          serviceId: null,
          appointmentId: null,
          resultId: null,
          resendOf: null,
          channel: sendingChannel(ctx.settings),
          toPhone: phone.e164,
          templateName: null,
          templateParams: [],
          body: args.text ?? text(lang(), 'message.test_body', ctx.settings.get().clinicName),
          // Nobody wrote to the clinic from a test number: free text would bounce off the closed window.
          asTemplate: true,
          priority: 0,
          notBefore: ctx.now(),
        },
        USER,
      ).message;
      ctx.audit('message.test_sent', 'message', message.id);
      return message;
    },

    'email.sendTest': async (args) => {
      const config = ctx.channels.smtp();
      if (!smtpConfigured(config)) {
        return { ok: false, messageId: null, code: 'not_configured', error: text(lang(), 'email.not_configured') };
      }
      const outcome = await sendTestEmail(config, args.to, lang(), ctx.settings.get().clinicName);
      ctx.audit('email.test_sent', 'channel', 'email', { ok: outcome.ok, code: outcome.ok ? null : outcome.code });
      return outcome.ok
        ? { ok: true, messageId: outcome.messageId, code: null, error: null }
        : { ok: false, messageId: null, code: outcome.code, error: outcome.reason };
    },
  };
}
