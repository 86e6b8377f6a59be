import type { ArgsOf, ResultOf } from '../../../shared/api';
import type { HandlerContext } from './handler-context';

type ReceptionHandlerName = 'reception.view' | 'reception.configure' | 'reception.register' | 'reception.test';
type Handlers = { [N in ReceptionHandlerName]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

/** Ajustes → WhatsApp Cloud API → "Recepción de estados y respuestas". */
export function receptionHandlers(ctx: HandlerContext): Handlers {
  const reception = () => ctx.channels.reception;
  return {
    'reception.view': () => reception().view(),
    'reception.configure': async (args) => {
      const current = ctx.settings.get().webhookReception;
      ctx.settings.update({ webhookReception: { ...current, ...args } });
      ctx.audit('reception.configured', 'settings', 'webhookReception', { ...args });
      await ctx.onSendingChanged();
      return reception().view();
    },
    'reception.register': async () => {
      await reception().register();
      ctx.audit('reception.registered', 'settings', 'webhookReception');
      return reception().view();
    },
    'reception.test': () => reception().test(),
  };
}
