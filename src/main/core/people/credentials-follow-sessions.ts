import { appendAudit } from '../audit/audit-log';
import type { ProfessionalCredentials } from '../documents/professional-credentials';
import type { Db } from '../store/db';
import { getPerson } from '../store/people-repo';
import type { PeopleService } from './people-service';

/**
 * A professional's token or .p12 "kept open for the session" lives exactly as long as that session: when they sign out,
 * lock the desktop (by hand or by its idle lock), someone else unlocks it, their session runs out or an administrator
 * revokes it, the card's logged-in session is closed, so nobody who sits down next signs with their certificate.
 * Each closing is in the audit trail with the person and why.
 */
export function closeCredentialsWhenSessionsEnd(o: {
  db: Db;
  now: () => number;
  people: Pick<PeopleService, 'onSessionEnded'>;
  professionals: Pick<ProfessionalCredentials, 'isOpen' | 'lock'>;
}): () => void {
  return o.people.onSessionEnded(({ personId, reason }) => {
    if (!o.professionals.isOpen(personId)) return;
    o.professionals.lock(personId);
    const person = getPerson(o.db, personId);
    appendAudit(
      o.db,
      {
        actor: person?.name ?? 'system',
        personId,
        action: 'signing.professional_closed',
        entity: 'person',
        entityId: personId,
        data: { reason },
      },
      o.now(),
    );
  });
}
