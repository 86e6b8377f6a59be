import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../api/hooks';
import { ClinicPlaceContext, type ClinicPlace } from '../clinic';

/** The clinic's first site sets the locale and zone of every date on screen (sites of one clinic share a country). */
export function ClinicPlaceProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const sites = useCall('sites.list', {});
  const first = sites.data?.[0];
  const place = useMemo<ClinicPlace>(
    () => (first ? { country: first.country, timeZone: first.timeZone } : {}),
    [first],
  );
  // Until the sites answer, a date would be written on the browser's clock and in its locale: nothing is shown rather
  // than a wrong hour. Should they fail, the browser's place is the best left.
  if (!sites.data && !sites.error) return <p className="muted">{t('common.loading')}</p>;
  return <ClinicPlaceContext.Provider value={place}>{children}</ClinicPlaceContext.Provider>;
}
