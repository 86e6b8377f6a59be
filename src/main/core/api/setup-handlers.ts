import { text } from '../i18n';
import { insertService, insertSite } from '../store/clinic-repo';
import { startDemo } from './demo-start';
import { HandlerError } from './handler-error';
import { languageOf, statusOf, type HandlerContext, type HandlersFor } from './handler-context';

/** The header's status and the first-run wizard. */
export function setupHandlers(ctx: HandlerContext): HandlersFor<'app.status' | 'setup.complete'> {
  const lang = languageOf(ctx);
  return {
    'app.status': () => statusOf(ctx),

    'setup.complete': async (args) => {
      if (ctx.settings.get().setupComplete) throw new HandlerError('already_setup', text(lang(), 'error.already_setup'));
      const at = ctx.now();
      const { sites, services } = ctx.db.transaction(() => {
        const sites = args.sites.map((s) => insertSite(ctx.db, s, at));
        const services = args.services.map((s) => insertService(ctx.db, s.name, at));
        ctx.settings.update({
          clinicName: args.clinicName,
          channel: args.channel,
          language: args.language ?? lang(),
          setupComplete: true,
        });
        ctx.audit('setup.completed', 'clinic', null, { clinicName: args.clinicName, channel: args.channel });
        return { sites, services };
      })();
      await ctx.onSendingChanged();
      if (args.channel === 'demo') await startDemo(ctx, { sites, services, now: at });
      return statusOf(ctx);
    },
  };
}
