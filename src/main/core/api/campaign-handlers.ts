import type { Campaigns } from '../campaigns/campaigns';
import type { FollowUps } from '../campaigns/follow-ups';
import { text } from '../i18n';
import type { Db } from '../store/db';
import { getPatient } from '../store/patients-repo';
import { allTags, setPatientTags, tagsOfPatients } from '../store/tags-repo';
import { HandlerError } from './handler-error';
import { USER, type HandlersFor } from './handler-context';

type CampaignHandlerName =
  | 'campaigns.list'
  | 'campaigns.preview'
  | 'campaigns.create'
  | 'campaigns.schedule'
  | 'campaigns.cancel'
  | 'followUps.rules'
  | 'followUps.saveRule'
  | 'followUps.deleteRule'
  | 'tags.list'
  | 'patients.tags'
  | 'patients.setTags';

type Handlers = HandlersFor<CampaignHandlerName>;

export interface CampaignHandlerContext {
  db: Db;
  campaigns: Campaigns;
  followUps: FollowUps;
  language: () => 'es' | 'en';
  audit: (action: string, entity: string, entityId: string | number | null, data?: Record<string, unknown>) => void;
}

/** Campañas: segments, scheduling and cancelling, follow-up rules, and the tags segments select by. */
export function campaignHandlers(ctx: CampaignHandlerContext): Handlers {
  return {
    'campaigns.list': () => ctx.campaigns.list(),
    'campaigns.preview': (args) => ctx.campaigns.preview(args.segment),
    // The campaign module audits each action itself, in the same transaction as the change.
    'campaigns.create': (args) => ctx.campaigns.create(args, USER),
    'campaigns.schedule': (args) =>
      ctx.campaigns.schedule(args.id, args.localDateTime ? { localDateTime: args.localDateTime } : null, USER),
    'campaigns.cancel': (args) => ctx.campaigns.cancel(args.id, USER),
    'followUps.rules': () => ctx.followUps.rules(),
    'followUps.saveRule': (args) => ctx.followUps.saveRule(args, USER),
    'followUps.deleteRule': (args) => ctx.followUps.deleteRule(args.id, USER),
    'tags.list': () => allTags(ctx.db),
    'patients.tags': (args) => tagsOfPatients(ctx.db, args.ids),
    'patients.setTags': (args) => {
      if (!getPatient(ctx.db, args.id)) throw new HandlerError('not_found', text(ctx.language(), 'error.not_found'));
      const tags = setPatientTags(ctx.db, args.id, args.tags);
      ctx.audit('patient.tags', 'patient', args.id, { tags });
      return tags;
    },
  };
}
