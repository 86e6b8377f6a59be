import { createCampaigns } from '../campaigns/campaigns';
import { createFollowUps } from '../campaigns/follow-ups';
import type { Outbox } from '../outbox/outbox';
import { createPlanner, type Planner } from '../scheduler/planner';
import type { StoreStage } from './store-stage';

/** Reminders, post-visit follow-ups and campaigns: the messages Avisa plans itself, all entering through the outbox. */
export function buildScheduling(s: StoreStage, outbox: Outbox) {
  const { db, now, language, bus, sendChannel: channel, templateLanguage } = s;
  const followUps = createFollowUps({ db, outbox, now, language, channel, templateLanguage });
  const campaigns = createCampaigns({ db, outbox, now, language, channel, timeZone: s.clinicZone, templateLanguage });
  const reminderPlanner = createPlanner({ db, outbox, now, language, channel, bus });
  // Every change of an appointment (front desk, clinic database, HL7) goes through the planner: a visit that became
  // attended gets its follow-ups there, one that stopped being attended loses the queued ones.
  const planner: Planner = {
    ...reminderPlanner,
    planAppointment(id) {
      const summary = reminderPlanner.planAppointment(id);
      followUps.planAppointment(id);
      return summary;
    },
    planAppointments(ids) {
      const summary = reminderPlanner.planAppointments(ids);
      for (const id of ids) followUps.planAppointment(id);
      return summary;
    },
  };
  return { followUps, campaigns, planner };
}
