import type { ArgsOf, EventName } from '../../../shared/api';
import { useLiveCall } from './hooks';

// One hook per resource a page lists, each reloading on the core's events that change that resource and no other.
// A page still reloads by hand after its own change (the answer is faster than the event).

const patientEvents: readonly EventName[] = [
  'patients.changed',
  // A reply such as "BAJA" changes the patient's consent.
  'reply.received',
];
const resultEvents: readonly EventName[] = [
  'results.changed',
  // A result's message moved (queued, sent, delivered, read, failed).
  'message.changed',
];
const campaignEvents: readonly EventName[] = ['campaigns.changed'];

export const usePatients = (args: ArgsOf<'patients.list'>) => useLiveCall('patients.list', args, patientEvents);

export const useResults = (args: ArgsOf<'results.list'>) => useLiveCall('results.list', args, resultEvents);

/** Items that arrived with a problem or wait for approval ("Por revisar"). */
export const useReviewItems = (args: ArgsOf<'results.review'>) => useLiveCall('results.review', args, ['results.changed']);

/** Results WhatsApp refused or could not deliver. */
export const useUndeliveredResults = (args: ArgsOf<'results.undelivered'>) =>
  useLiveCall('results.undelivered', args, resultEvents);

export const useCampaigns = () => useLiveCall('campaigns.list', {}, campaignEvents);

/** Follow-up rules change only from their own card, which reloads them after saving. */
export const useFollowUpRules = () => useLiveCall('followUps.rules', {}, []);
