import { appendAudit } from '../audit/audit-log';
import type { ProfessionalCredentials } from '../documents/professional-credentials';
import type { Db } from '../store/db';
import { getPerson } from '../store/people-repo';
import { liveSessionCountOf } from '../store/person-sessions-repo';
import type { PeopleService } from './people-service';

/**
 * A professional's token or .p12 "kept open for the session" lives exactly as long as she is signed in somewhere: when
 * her last session ends — she signs out, locks the desktop (by hand or by its idle lock), someone else unlocks it, the
 * session runs out or an administrator revokes it — the card's logged-in session is closed, so nobody who sits down
 * next signs with her certificate. While another of her sessions is still live (a browser tab, the desktop), ending
 * one of them leaves it open: she is still there to use it, and only she can sign with it.
 * Each closing is in the audit trail with the person and why her last session ended.
 */
export function closeCredentialsWhenSessionsEnd(o: {
  db: Db;
  now: () => number;
  people: Pick<PeopleService, 'onSessionEnded'>;
  professionals: Pick<ProfessionalCredentials, 'isOpen' | 'lock'>;
}): () => void {
  return o.people.onSessionEnded(({ personId, reason }) => {
    if (!o.professionals.isOpen(personId)) return;
    // The session that ended is already revoked when this runs; one past its limits but not yet swept is not live.
    if (liveSessionCountOf(o.db, personId, o.now()) > 0) return;
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
