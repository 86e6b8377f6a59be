import { text } from '../i18n';
import { listServices, listSites } from '../store/clinic-repo';
import { HandlerError } from './handler-error';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';

type SettingsHandlerName =
  | 'settings.get'
  | 'settings.update'
  | 'secrets.set'
  | 'sites.list'
  | 'services.list'
  | 'sources.clinicDb.set'
  | 'sources.clinicDb.test';

/** Ajustes: settings, secrets, the clinic's sites and services, and the clinic-database sources. */
export function settingsHandlers(ctx: HandlerContext): HandlersFor<SettingsHandlerName> {
  const lang = languageOf(ctx);
  return {
    'sites.list': () => listSites(ctx.db),
    'services.list': () => listServices(ctx.db),
    'settings.get': () => ctx.settings.view(),

    'settings.update': async (args) => {
      ctx.settings.update(args);
      // Settings hold no secrets (those go through secrets.set): the new values themselves are the evidence.
      ctx.audit('settings.updated', 'settings', null, { changed: Object.keys(args), values: args });
      if (['channel', 'sendingPaused', 'cloudApi', 'routing', 'email'].some((k) => k in args)) await ctx.onSendingChanged();
      if ('folderSource' in args || 'hl7' in args) await ctx.onSourcesChanged();
      return ctx.settings.view();
    },

    'secrets.set': async (args) => {
      ctx.settings.setSecret(args.name, args.value);
      // The value itself never reaches the audit trail.
      ctx.audit('secret.updated', 'secret', args.name);
      await ctx.onSendingChanged();
      return ctx.settings.view();
    },

    'sources.clinicDb.set': async (args) => {
      if (args.password !== undefined) ctx.settings.setSecret(`clinicDb.${args.kind}.password`, args.password);
      const config = args.config && { ...args.config, connection: { ...args.config.connection, password: undefined } };
      const { [args.kind]: _old, ...cursors } = ctx.settings.get().clinicDbCursors;
      // A new query or connection reads from its initial cursor again; the source keys keep rows read twice as one.
      ctx.settings.update({ clinicDb: { ...ctx.settings.get().clinicDb, [args.kind]: config }, clinicDbCursors: cursors });
      ctx.audit('sources.clinic_db_set', 'source', args.kind, {
        enabled: config?.enabled ?? false,
        passwordChanged: args.password !== undefined,
      });
      await ctx.clinicDb.restart();
      const { results, appointments } = ctx.settings.get().clinicDb;
      return { results, appointments };
    },

    'sources.clinicDb.test': async (args) => {
      const outcome = await ctx.clinicDb.test(args.kind);
      if (!outcome) throw new HandlerError('not_configured', text(lang(), 'error.not_found'));
      if (!outcome.ok) return { ok: false, ...outcome.error };
      return { ok: true, columns: outcome.columns, rows: outcome.rows, missing: outcome.missingColumns };
    },
  };
}
