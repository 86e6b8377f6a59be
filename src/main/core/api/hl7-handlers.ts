import { text } from '../i18n';
import { openHl7Refused } from '../store/hl7-refused-repo';
import type { HandlerContext, HandlersFor } from './handler-context';
import { HandlerError } from './handler-error';

type Handlers = HandlersFor<'hl7.refused' | 'hl7.retry'>;

const LIST_LIMIT = 200;

/** Ajustes → HL7 → refused messages: the list with reasons, and processing one again. */
export function hl7Handlers(ctx: HandlerContext): Handlers {
  const lang = () => ctx.settings.get().language;
  return {
    'hl7.refused': () =>
      openHl7Refused(ctx.db, LIST_LIMIT).map((r) => ({
        id: r.id,
        receivedAt: r.receivedAt,
        remote: r.remote,
        controlId: r.controlId,
        messageType: r.messageType,
        ack: r.ack,
        code: r.code,
        reason: lang() === 'en' ? r.reasonEn : r.reasonEs,
      })),
    'hl7.retry': async ({ id }) => {
      const outcome = await ctx.retryHl7(id);
      if ('missing' in outcome) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      ctx.audit('hl7.retried', 'hl7_message', id, { taken: outcome.taken });
      return { taken: outcome.taken, reason: outcome.taken ? null : lang() === 'en' ? outcome.en : outcome.es };
    },
  };
}
