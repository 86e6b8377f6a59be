import type { AvisaEvents, HandlerName } from '../../../shared/api';
import type { HandlersFor } from '../api/handler-context';
import type { EventBus } from '../events';

type ResourceEvent = 'patients.changed' | 'results.changed' | 'campaigns.changed' | 'appointments.changed';

/**
 * Which calls of a person change which resource, so that every window showing it (another workstation's browser
 * too) reloads that list and no other. Changes that do not come through a call are announced where they happen:
 * the results intake, the campaigns' progress (compose and reactions), and appointments from HL7 or the clinic
 * database.
 */
const changedBy: Partial<Record<HandlerName, readonly ResourceEvent[]>> = {
  'patients.create': ['patients.changed'],
  'patients.update': ['patients.changed'],
  'patients.setTags': ['patients.changed'],
  // The import creates the patients it does not know yet.
  'appointments.csvImport': ['appointments.changed', 'patients.changed'],
  'appointments.create': ['appointments.changed'],
  'appointments.setStatus': ['appointments.changed'],
  'appointments.reschedule': ['appointments.changed'],
  // Attending, answering or acting on a reply takes it off the list of replies to read.
  'replies.attend': ['appointments.changed'],
  'replies.answer': ['appointments.changed'],
  'replies.cancelAppointment': ['appointments.changed'],
  // A refused HL7 or clinic database appointment taken on a second try.
  'hl7.retry': ['appointments.changed'],
  'clinicDb.retry': ['appointments.changed'],
  // A fix can correct the patient's phone or consent, and moves the item out of the review list.
  'results.fix': ['results.changed', 'patients.changed'],
  'results.approve': ['results.changed'],
  'results.retry': ['results.changed'],
  'results.dismiss': ['results.changed'],
  'documents.issue': ['results.changed'],
  'campaigns.create': ['campaigns.changed'],
  'campaigns.schedule': ['campaigns.changed'],
  'campaigns.cancel': ['campaigns.changed'],
};

/** The id a call was about, when it names one. */
function idOf(args: unknown): number | null {
  const id = (args as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : null;
}

/** The same handlers; those in the table announce their resource's event after they succeed. */
export function announcingChanges(handlers: HandlersFor<HandlerName>, bus: EventBus): HandlersFor<HandlerName> {
  const wrapped: Record<string, (args: never) => unknown> = { ...handlers };
  for (const [name, events] of Object.entries(changedBy) as [HandlerName, readonly ResourceEvent[]][]) {
    const handler = handlers[name] as (args: unknown) => unknown;
    wrapped[name] = async (args: unknown) => {
      const result = await handler(args);
      const data: AvisaEvents[ResourceEvent] = { id: idOf(args) };
      for (const event of events) bus.emit(event, data);
      return result;
    };
  }
  return wrapped as HandlersFor<HandlerName>;
}
