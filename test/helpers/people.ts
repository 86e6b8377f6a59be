import type { AvisaCore } from '../../src/main/core/app-types';
import { signedInBrowsers } from './browser';

/** The person every browser test acts as unless it signs in itself: all three roles, so every screen is there. */
export const testAdmin = {
  name: 'Ana Torres',
  documentNumber: '40000001',
  roles: ['admin', 'reception', 'professional'] as ('admin' | 'reception' | 'professional')[],
  registryNumber: 'CMP 000001',
  secretKind: 'password' as const,
  secret: 'clave-de-prueba',
};

/** The professional the signing and session tests use: her PIN opens her own signature. */
export const testDoctor = {
  name: 'Dra. Lucía Paredes',
  documentNumber: '70000002',
  roles: ['professional'] as 'professional'[],
  registryNumber: 'CMP 045821',
  secretKind: 'pin' as const,
  secret: '902211',
};

/** For a core run in the test's own process behind startHttpServer: the test administrator signs every new page in. */
export async function signInBrowsersTo(core: AvisaCore, origin: string): Promise<void> {
  await core.invoke('people.create', testAdmin);
  const signedIn = await core.auth.signIn(testAdmin.documentNumber, testAdmin.secret, '127.0.0.1');
  if (!signedIn.ok) throw new Error(signedIn.message);
  signedInBrowsers.set(origin, signedIn.token);
}
