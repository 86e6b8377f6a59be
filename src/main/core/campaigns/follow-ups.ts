import { DateTime } from 'luxon';
import type { FollowUpRuleInput, FollowUpRuleView } from '../../../shared/campaigns';
import { appendAudit } from '../audit/audit-log';
import {
  attendedAppointmentIdsSince,
  followUpAppointment,
  followUpCounts,
  getFollowUpRule,
  insertFollowUp,
  insertFollowUpRule,
  listFollowUpRules,
  markFollowUpRuleDeleted,
  queuedFollowUpsOfAppointment,
  queuedFollowUpsOfRule,
  updateFollowUpRule,
  type FollowUpAppointment,
  type FollowUpRuleRow,
} from '../store/follow-ups-repo';
import { CampaignError, type CampaignOptions } from './campaigns';
import { contentFor, storedContent } from './content';
import { exclusionOf } from './segment';
import { campaignTexts } from './texts';

/** After results and reminders (1), before campaigns (5): the patient was just seen and expects to hear from us. */
export const FOLLOW_UP_PRIORITY = 3;
// A follow-up whose moment passed more than a day ago (an old visit marked attended late) is not worth sending.
const STALE_MS = 86_400_000;

export function followUpKey(appointmentId: number, ruleId: number): string {
  return `follow_up:${appointmentId}:${ruleId}`;
}

/** The local day of the visit plus N days, at the rule's hour, in the site's zone. */
export function followUpAt(startsAt: number, timeZone: string, daysAfter: number, hourOfDay: number): number {
  return DateTime.fromMillis(startsAt, { zone: timeZone })
    .startOf('day')
    .plus({ days: daysAfter })
    .set({ hour: hourOfDay })
    .toMillis();
}

/** What a campaign needs, but the clinic's zone: a follow-up is timed in the zone of the site that was visited. */
export type FollowUpOptions = Omit<CampaignOptions, 'timeZone'>;

export interface FollowUps {
  /** After an appointment changed: attended plans its follow-ups, anything else withdraws the queued ones. */
  planAppointment(appointmentId: number): number;
  rules(): FollowUpRuleView[];
  saveRule(input: FollowUpRuleInput, actor: string): FollowUpRuleView[];
  deleteRule(id: number, actor: string): FollowUpRuleView[];
}

const matches = (rule: FollowUpRuleRow, a: FollowUpAppointment) =>
  rule.enabled && (rule.serviceId === null || rule.serviceId === a.serviceId);

export function createFollowUps(o: FollowUpOptions): FollowUps {
  const db = o.db;
  const reason = (key: keyof typeof campaignTexts) => campaignTexts[key][o.language()];

  const withdraw = (ids: readonly number[], code: string, text: string, actor: string): number =>
    ids.filter((id) => o.outbox.move(id, 'cancelled', { errorCode: code, errorReason: text, actor })).length;

  const planAppointment = (appointmentId: number): number => {
    const a = followUpAppointment(db, appointmentId);
    if (!a) return 0;
    const queued = queuedFollowUpsOfAppointment(db, appointmentId);
    if (a.status !== 'attended') {
      withdraw(queued.map((q) => q.messageId), 'follow_up.not_attended', reason('notAttended'), 'scheduler');
      return 0;
    }
    // Consent is asked again when each one leaves; here it decides whether one is planned at all.
    if (exclusionOf(a)) return 0;
    const now = o.now();
    let created = 0;
    for (const rule of listFollowUpRules(db).filter((r) => matches(r, a))) {
      const at = followUpAt(a.startsAt, a.timeZone, rule.daysAfter, rule.hourOfDay);
      if (at < now - STALE_MS) continue;
      const { message, created: isNew } = o.outbox.enqueue({
        kind: 'followup',
        idempotencyKey: followUpKey(a.id, rule.id),
        patientId: a.patientId,
        siteId: a.siteId,
        serviceId: a.serviceId,
        appointmentId: a.id,
        resultId: null,
        resendOf: null,
        channel: o.channel(),
        toPhone: a.phoneE164 ?? '',
        ...contentFor(rule, a),
        priority: FOLLOW_UP_PRIORITY,
        notBefore: Math.max(at, now),
      });
      if (isNew) {
        insertFollowUp(db, { messageId: message.id, appointmentId: a.id, ruleId: rule.id });
        created++;
      }
    }
    return created;
  };

  const rules = (): FollowUpRuleView[] => {
    const counts = followUpCounts(db);
    return listFollowUpRules(db).map(({ updatedAt: _u, ...r }) => ({ ...r, ...(counts.get(r.id) ?? { queued: 0, sent: 0 }) }));
  };

  return {
    planAppointment: (id) => db.transaction(() => planAppointment(id))(),
    rules,
    saveRule(input, actor) {
      const at = o.now();
      db.transaction(() => {
        const record = {
          name: input.name.trim(),
          serviceId: input.serviceId,
          daysAfter: input.daysAfter,
          hourOfDay: input.hourOfDay,
          ...storedContent(input, o.templateLanguage()),
          enabled: input.enabled ?? true,
        };
        let id = input.id;
        if (id !== undefined) {
          if (!updateFollowUpRule(db, id, record, at)) throw new CampaignError('not_found', reason('ruleNotFound'));
          // Follow-ups already queued keep what they were planned with; a disabled rule stops them.
          if (!record.enabled) withdraw(queuedFollowUpsOfRule(db, id), 'follow_up.rule_disabled', reason('ruleDisabled'), actor);
        } else {
          id = insertFollowUpRule(db, record, at);
        }
        appendAudit(db, { actor, action: 'follow_up_rule.saved', entity: 'follow_up_rule', entityId: id, data: record }, at);
        // Visits attended recently may still be due a follow-up from a new or re-enabled rule.
        if (record.enabled) {
          const since = at - (record.daysAfter + 1) * 86_400_000;
          for (const appointmentId of attendedAppointmentIdsSince(db, since)) planAppointment(appointmentId);
        }
      })();
      return rules();
    },
    deleteRule(id, actor) {
      const at = o.now();
      db.transaction(() => {
        if (!getFollowUpRule(db, id) || !markFollowUpRuleDeleted(db, id, at)) throw new CampaignError('not_found', reason('ruleNotFound'));
        const withdrawn = withdraw(queuedFollowUpsOfRule(db, id), 'follow_up.rule_deleted', reason('ruleDeleted'), actor);
        appendAudit(db, { actor, action: 'follow_up_rule.deleted', entity: 'follow_up_rule', entityId: id, data: { withdrawn } }, at);
      })();
      return rules();
    },
  };
}
