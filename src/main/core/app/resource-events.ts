import type { AvisaEvents, EventName, HandlerName } from '../../../shared/api';
import type { HandlersFor } from '../api/handler-context';
import type { EventBus } from '../events';

/** The events that name the changed item by its id (null: several, or none in particular). */
type ResourceEvent = { [N in EventName]: AvisaEvents[N] extends { id: number | null } ? N : never }[EventName];

/**
 * Which calls of a person change which resource, so that every window showing it (another workstation's browser
 * too) reloads that list and no other. Changes that do not come through a call are announced where they happen:
 * the results intake, the campaigns' progress (compose and reactions), appointments and refusals from HL7 or the
 * clinic database (sources stage), calendar jobs and backups (operations), and webhook reception (outbox stage).
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
  // A refused HL7 or clinic database appointment taken on a second try leaves its review list (or its reason changes).
  // An HL7 appointment taken is announced by the receiver that takes it, as one that comes over the network.
  'hl7.retry': ['hl7Refused.changed'],
  'clinicDb.retry': ['appointments.changed', 'clinicDbRefused.changed'],
  // A fix can correct the patient's phone or consent, and moves the item out of the review list.
  'results.fix': ['results.changed', 'patients.changed'],
  'results.approve': ['results.changed'],
  'results.retry': ['results.changed'],
  'results.dismiss': ['results.changed'],
  'documents.issue': ['results.changed'],
  'campaigns.create': ['campaigns.changed'],
  'campaigns.schedule': ['campaigns.changed'],
  'campaigns.cancel': ['campaigns.changed'],
  // The list of backups is read from the configured folder.
  'backup.setConfig': ['backups.changed'],
  'reception.configure': ['reception.changed'],
  'reception.register': ['reception.changed'],
  // A professional's credential: linked by an administrator, opened or locked by the professional.
  'professional.linkToken': ['professionalCredentials.changed'],
  'professional.linkP12': ['professionalCredentials.changed'],
  'professional.unlink': ['professionalCredentials.changed'],
  'professional.signMine': ['professionalCredentials.changed'],
  'professional.lockMine': ['professionalCredentials.changed'],
};

/** The id a call was about, when it names one (a person's credential is named by `personId`). */
function idOf(args: unknown): number | null {
  const named = args as { id?: unknown; personId?: unknown } | null;
  const id = named?.id ?? named?.personId;
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
