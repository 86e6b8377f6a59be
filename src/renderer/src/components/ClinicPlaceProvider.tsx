import { useMemo, type ReactNode } from 'react';
import { useCall } from '../api/hooks';
import { ClinicPlaceContext, type ClinicPlace } from '../clinic';

/** The clinic's first site sets the locale and zone of every date on screen (sites of one clinic share a country). */
export function ClinicPlaceProvider({ children }: { children: ReactNode }) {
  const sites = useCall('sites.list', {});
  const first = sites.data?.[0];
  const place = useMemo<ClinicPlace>(
    () => (first ? { country: first.country, timeZone: first.timeZone } : {}),
    [first],
  );
  return <ClinicPlaceContext.Provider value={place}>{children}</ClinicPlaceContext.Provider>;
}
