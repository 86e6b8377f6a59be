import { syncPanelClock } from '../metrics/clinic-clock';
import { panelReport } from '../metrics/panel';
import { panelCsv } from '../metrics/panel-csv';
import { clinicDefaults, listServices, listSites } from '../store/clinic-repo';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';

/** The Panel's figures and their CSV export. */
export function panelHandlers(ctx: HandlerContext): HandlersFor<'panel.summary' | 'panel.csv'> {
  const lang = languageOf(ctx);
  return {
    'panel.summary': (args) => panelReport(ctx.db, args, panelContext(ctx)),

    'panel.csv': (args) => {
      const sites = new Map(listSites(ctx.db).map((s) => [s.id, s.name]));
      const services = new Map(listServices(ctx.db).map((s) => [s.id, s.name]));
      return panelCsv(panelReport(ctx.db, args, panelContext(ctx)), lang(), {
        site: (id) => sites.get(id) ?? String(id),
        service: (id) => services.get(id) ?? String(id),
      });
    },
  };
}

/** The Panel's calendar follows the clinic's zone. */
function panelContext(ctx: HandlerContext): { timeZone: string; now: number } {
  const { timeZone } = clinicDefaults(ctx.db);
  syncPanelClock(ctx.db, timeZone);
  return { timeZone, now: ctx.now() };
}
