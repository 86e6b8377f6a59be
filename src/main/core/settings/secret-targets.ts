import type { Settings } from './schema';

// A password or token belongs to the server it was entered for. Whoever can change a host in the settings must not
// thereby send the stored secret to a server of their choosing: when the server a secret goes to changes, the secret
// is withheld until a person enters it again for the new one.

/** Where the named secret is sent under these settings; null for secrets that go nowhere (or nowhere configured). */
export function secretTarget(name: string, s: Settings): string | null {
  const clinicDb = /^clinicDb\.(results|appointments)\.password$/.exec(name);
  if (clinicDb) {
    const connection = s.clinicDb[clinicDb[1] as 'results' | 'appointments']?.connection;
    if (!connection || connection.driver === 'sqlite') return null;
    return `${connection.driver}://${connection.host.toLowerCase()}:${connection.port}`;
  }
  if (name === 'email.password') return `smtp://${s.email.host.trim().toLowerCase()}:${s.email.port}`;
  // The access token goes with every Graph call; the app secret only checks what arrives, so it stays put.
  if (name === 'cloudApi.accessToken') return originOf(s.cloudApi.baseUrl);
  if (name === 'orthanc.password') return s.results.orthancUrl ? originOf(s.results.orthancUrl) : null;
  return null;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}
