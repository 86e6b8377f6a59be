import type { Language } from '../../../shared/domain';
import type { Db } from '../store/db';
import { campaignSendsSince, deferCampaign, sendFacts } from '../store/campaigns-repo';
import { campaignTexts } from './texts';
import type { DispatchGate } from '../outbox/dispatcher';


const MINUTE = 60_000;
const HOUR = 3_600_000;
const go: DispatchGate = { go: true };

/**
 * Checked just before a campaign or follow-up leaves, not only when it was planned: a patient who answered BAJA a
 * second ago gets nothing more, a cancelled campaign stops, and a campaign over its per-minute or per-hour throttle
 * waits (all its queued messages at once, so the dispatcher does not look at them one by one).
 */
export function businessMessageGate(db: Db, language: () => Language) {
  return (row: { id: number; kind: string }, now: number): DispatchGate => {
    if (row.kind !== 'campaign' && row.kind !== 'followup') return go;
    const facts = sendFacts(db, row.id);
    if (!facts) return go;
    const lang = language();
    if (facts.consent !== 'opted_in') {
      const optedOut = facts.consent === 'opted_out';
      return {
        go: false,
        cancel: {
          code: optedOut ? 'patient.opted_out' : 'patient.no_consent',
          reason: campaignTexts[optedOut ? 'optedOutAtSend' : 'noConsentAtSend'][lang],
        },
      };
    }
    if (facts.campaignId === null) return go;
    if (facts.campaignState === 'cancelled') {
      return { go: false, cancel: { code: 'campaign.cancelled', reason: campaignTexts.cancelled[lang] } };
    }
    for (const [window, max] of [
      [MINUTE, facts.maxPerMinute],
      [HOUR, facts.maxPerHour],
    ] as const) {
      if (!max || max <= 0) continue;
      const recent = campaignSendsSince(db, facts.campaignId, now - window);
      if (recent.count >= max && recent.first !== null) {
        // The window opens again when its oldest send falls out of it.
        const notBefore = recent.first + window;
        deferCampaign(db, facts.campaignId, notBefore);
        return { go: false, notBefore };
      }
    }
    return go;
  };
}
