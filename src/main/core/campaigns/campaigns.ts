import { DateTime } from 'luxon';
import type { CampaignDraft, CampaignView, SegmentPreview } from '../../../shared/campaigns';
import type { ChannelId, Language } from '../../../shared/domain';
import { actingAs } from '../audit/acting';
import { appendAudit } from '../audit/audit-log';
import type { Outbox } from '../outbox/outbox';
import type { Db } from '../store/db';
import {
  campaignIdsInStates,
  campaignMetrics,
  getCampaign,
  insertCampaign,
  insertRecipient,
  listCampaignRows,
  pendingCount,
  queuedMessageIdsOfCampaign,
  setCampaignState,
  type CampaignRow,
} from '../store/campaigns-repo';
import { contentFor, storedContent } from './content';
import { previewSegment, selectSegment } from './segment';
import { campaignTexts } from './texts';

/** After results, reminders (1) and follow-ups (3): a campaign never goes before a clinical message that is due. */
export const CAMPAIGN_PRIORITY = 5;

export class CampaignError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_draft' | 'cannot_cancel' | 'no_content' | 'bad_date' | 'nobody',
    message: string,
  ) {
    super(message);
  }
}

export interface CampaignOptions {
  db: Db;
  outbox: Outbox;
  now: () => number;
  language: () => Language;
  /** The channel written on new rows (routing may choose another per kind). */
  channel: () => ChannelId;
  /** The zone a campaign's local date-time and its segment's dates are read in. */
  timeZone: () => string;
  templateLanguage: () => string;
}

export interface Campaigns {
  preview(segment: CampaignDraft['segment']): SegmentPreview;
  create(draft: CampaignDraft, actor: string): CampaignView;
  /** Freezes the segment into one message per reached patient, due at `at` (now when null). */
  schedule(id: number, at: { localDateTime: string } | null, actor: string): CampaignView;
  cancel(id: number, actor: string): CampaignView;
  list(): CampaignView[];
  get(id: number): CampaignView;
  /** Moves campaigns along as their moment comes and their last message settles. */
  refresh(): void;
}

export function campaignKey(campaignId: number, patientId: number): string {
  return `campaign:${campaignId}:${patientId}`;
}

export function createCampaigns(o: CampaignOptions): Campaigns {
  const db = o.db;
  const t = (key: keyof typeof campaignTexts) => campaignTexts[key][o.language()];

  const view = (row: CampaignRow): CampaignView => ({ ...row, metrics: campaignMetrics(db, row.id) });
  const mustGet = (id: number): CampaignRow => {
    const row = getCampaign(db, id);
    if (!row) throw new CampaignError('not_found', t('notFound'));
    return row;
  };

  const refreshOne = (id: number, at: number): void => {
    const row = getCampaign(db, id);
    if (!row) return;
    if (row.state === 'scheduled' && row.scheduledAt !== null && row.scheduledAt <= at) {
      if (setCampaignState(db, id, 'scheduled', 'sending', at)) {
        appendAudit(db, { actor: 'system', action: 'campaign.sending', entity: 'campaign', entityId: id }, at);
      }
    }
    const now = getCampaign(db, id);
    if (now?.state === 'sending' && pendingCount(db, id) === 0) {
      if (setCampaignState(db, id, 'sending', 'done', at)) {
        const data = { ...campaignMetrics(db, id) };
        appendAudit(db, { actor: 'system', action: 'campaign.done', entity: 'campaign', entityId: id, data }, at);
      }
    }
  };

  const refresh = (): void => {
    const at = o.now();
    const ids = campaignIdsInStates(db, ['scheduled', 'sending']);
    if (ids.length) db.transaction(() => ids.forEach((id) => refreshOne(id, at)))();
  };

  return {
    preview: (segment) => previewSegment(db, segment, o.now(), o.timeZone()),

    create(draft, actor) {
      if (!draft.templateName && !draft.body.trim()) throw new CampaignError('no_content', t('noContent'));
      const at = o.now();
      // The person at the screen by name and id, as the audit trail records them.
      const by = actingAs(actor);
      const id = db.transaction(() => {
        const id = insertCampaign(
          db,
          {
            name: draft.name.trim(),
            segment: draft.segment,
            ...storedContent(draft, o.templateLanguage()),
            maxPerMinute: draft.maxPerMinute ?? 30,
            maxPerHour: draft.maxPerHour ?? 1000,
            createdBy: by.actor,
            createdByPersonId: by.personId,
          },
          at,
        );
        appendAudit(db, { actor, action: 'campaign.created', entity: 'campaign', entityId: id, data: { name: draft.name } }, at);
        return id;
      })();
      return view(mustGet(id));
    },

    schedule(id, when, actor) {
      const now = o.now();
      let at = now;
      if (when) {
        const local = DateTime.fromISO(when.localDateTime, { zone: o.timeZone() });
        if (!local.isValid) throw new CampaignError('bad_date', t('badDate'));
        // A moment already past means "now": the campaign was meant to go and nothing is lost by sending it.
        at = Math.max(now, local.toMillis());
      }
      db.transaction(() => {
        const c = mustGet(id);
        if (c.state !== 'draft') throw new CampaignError('not_draft', t('notDraft'));
        const { reached, excluded } = selectSegment(db, c.segment, now, o.timeZone());
        if (reached.length === 0) throw new CampaignError('nobody', t('nobody'));
        for (const p of reached) {
          const { message } = o.outbox.enqueue(
            {
              kind: 'campaign',
              idempotencyKey: campaignKey(c.id, p.id),
              patientId: p.id,
              siteId: p.siteId,
              serviceId: null,
              appointmentId: null,
              resultId: null,
              resendOf: null,
              channel: o.channel(),
              toPhone: p.phoneE164 ?? '',
              ...contentFor(c, p),
              priority: CAMPAIGN_PRIORITY,
              notBefore: at,
            },
            actor,
          );
          insertRecipient(db, { campaignId: c.id, patientId: p.id, messageId: message.id, excludedCode: null });
        }
        for (const e of excluded) {
          insertRecipient(db, { campaignId: c.id, patientId: e.patient.id, messageId: null, excludedCode: e.code });
        }
        setCampaignState(db, c.id, 'draft', 'scheduled', now, at);
        const data = { scheduledAt: at, targeted: reached.length, excluded: excluded.length };
        appendAudit(db, { actor, action: 'campaign.scheduled', entity: 'campaign', entityId: c.id, data }, now);
        refreshOne(c.id, now);
      })();
      return view(mustGet(id));
    },

    cancel(id, actor) {
      const at = o.now();
      db.transaction(() => {
        const c = mustGet(id);
        if (c.state === 'done' || c.state === 'cancelled') throw new CampaignError('cannot_cancel', t('cannotCancel'));
        setCampaignState(db, id, c.state, 'cancelled', at);
        let withdrawn = 0;
        for (const messageId of queuedMessageIdsOfCampaign(db, id)) {
          const moved = o.outbox.move(messageId, 'cancelled', {
            errorCode: 'campaign.cancelled',
            errorReason: t('cancelled'),
            actor,
          });
          if (moved) withdrawn++;
        }
        appendAudit(db, { actor, action: 'campaign.cancelled', entity: 'campaign', entityId: id, data: { withdrawn } }, at);
      })();
      return view(mustGet(id));
    },

    list() {
      refresh();
      return listCampaignRows(db).map(view);
    },

    get: (id) => view(mustGet(id)),

    refresh,
  };
}
