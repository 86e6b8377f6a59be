import type { MessageTimeline } from '../../../shared/api';
import { text } from '../i18n';
import { sendManually } from '../outbox/manual-send';
import { getMessage, listMessages, messageEvents, relatedMessages, repliesTo } from '../store/messages-repo';
import { HandlerError } from './handler-error';
import { withReminderWaits } from './message-waits';
import { withEmailCopyTargets } from './email-copy-handlers';
import { languageOf, USER, type HandlerContext, type HandlersFor } from './handler-context';

type MessageHandlerName = 'messages.list' | 'messages.resend' | 'messages.cancel' | 'messages.timeline' | 'messages.send';

/** Mensajes: the list, one message's timeline, and what a person sends, resends or cancels by hand. */
export function messageHandlers(ctx: HandlerContext): HandlersFor<MessageHandlerName> {
  const lang = languageOf(ctx);
  return {
    'messages.list': (args) => {
      const page = listMessages(ctx.db, { ...args, limit: args.limit ?? 50, offset: args.offset ?? 0 });
      return { ...page, rows: withEmailCopyTargets(ctx, withReminderWaits(ctx.db, page.rows)) };
    },

    'messages.resend': (args) => {
      const message = ctx.outbox.resend(args.id, USER);
      ctx.audit('message.resend_requested', 'message', args.id, { newMessageId: message.id });
      return message;
    },

    'messages.cancel': (args) => ctx.outbox.cancel(args.id, USER),

    'messages.timeline': (args) => {
      const message = getMessage(ctx.db, args.id);
      if (!message) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      return {
        message: withEmailCopyTargets(ctx, withReminderWaits(ctx.db, [message]))[0] ?? message,
        events: messageEvents(ctx.db, args.id) as MessageTimeline['events'],
        replies: repliesTo(ctx.db, args.id),
        related: relatedMessages(ctx.db, args.id),
      };
    },

    'messages.send': (args) => {
      const message = sendManually(ctx, args, USER);
      ctx.audit('message.manual_send', 'message', message.id, { mode: args.mode });
      return message;
    },
  };
}
