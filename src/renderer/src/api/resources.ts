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
const messageEvents: readonly EventName[] = [
  'message.changed',
  // A row shows the patient's name and how many replies the message got.
  'patients.changed',
  'reply.received',
];
const appointmentEvents: readonly EventName[] = [
  'appointments.changed',
  // A reply confirms or cancels its appointment (applied as it is recorded) or waits to be attended.
  'reply.received',
  // Each appointment shows its reminders' states and the patient's name.
  'message.changed',
  'patients.changed',
];
/** The panel counts messages (delivered, read, failed), replies and appointments' confirmations. */
const panelEvents: readonly EventName[] = ['message.changed', 'reply.received', 'appointments.changed'];

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

export const useMessages = (args: ArgsOf<'messages.list'>) => useLiveCall('messages.list', args, messageEvents);

/** One message's statuses and replies, in the side panel. */
export const useMessageTimeline = (args: ArgsOf<'messages.timeline'>) =>
  useLiveCall('messages.timeline', args, ['message.changed', 'reply.received']);

/** Citas: a day's appointments with their reminders and what the patients answered. */
export const useAppointmentBoard = (args: ArgsOf<'appointments.board'>) =>
  useLiveCall('appointments.board', args, appointmentEvents);

/** The replies a person still has to read or act on. */
export const useReplyDetails = () => useLiveCall('replies.details', {}, ['reply.received', 'appointments.changed']);

/** Reloaded at most once a second like every list, so a burst of sends does not recount it per message. */
export const usePanelSummary = (args: ArgsOf<'panel.summary'>) => useLiveCall('panel.summary', args, panelEvents);
