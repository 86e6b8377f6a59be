import type { Role } from '../../../shared/people';
import { hashSecretSync } from '../people/secret-hash';
import type { Db } from '../store/db';
import { findPersonByDocument, insertPerson } from '../store/people-repo';

/**
 * The demo's front desk and doctor, so a new install can try roles, the lock screen and validation at once.
 * Their PINs are public (README): a demo holds no real data.
 */
export const DEMO_PEOPLE: { name: string; documentNumber: string; roles: Role[]; registryNumber: string | null; pin: string }[] = [
  { name: 'Carmen Rojas', documentNumber: '70000001', roles: ['reception'], registryNumber: null, pin: '111111' },
  { name: 'Dra. Lucía Paredes', documentNumber: '70000002', roles: ['professional'], registryNumber: 'CMP 045821', pin: '222222' },
];

export function seedDemoPeople(db: Db, at: number): number {
  let created = 0;
  for (const p of DEMO_PEOPLE) {
    if (findPersonByDocument(db, p.documentNumber)) continue;
    insertPerson(
      db,
      { name: p.name, documentNumber: p.documentNumber, roles: p.roles, registryNumber: p.registryNumber, secretKind: 'pin', secretHash: hashSecretSync(p.pin) },
      at,
    );
    created++;
  }
  return created;
}
