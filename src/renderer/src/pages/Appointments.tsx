import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { appointmentTone } from '../components/tones';
import { addDays, startOfDay, todayIn, useFormat } from '../format';

/** One day of appointments; the day and the times are the site's own, wherever this computer is. */
export function Appointments() {
  const { t } = useTranslation();
  const f = useFormat();
  const sites = useCall('sites.list', {}, false);
  const [siteId, setSiteId] = useState<number | null>(null);
  // The day's bounds need a zone: the chosen site's, or the first site's when showing all of them.
  const site = sites.data?.find((s) => s.id === siteId) ?? null;
  const zone = site?.timeZone ?? sites.data?.[0]?.timeZone;
  const [pickedDay, setDay] = useState<string | null>(null);
  const day = pickedDay ?? todayIn(zone);
  const appointments = useCall('appointments.list', {
    from: startOfDay(day, zone),
    to: startOfDay(addDays(day, 1), zone),
    ...(siteId !== null ? { siteId } : {}),
  });

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.appointments')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('appointments.site')}</span>
            <select value={siteId ?? ''} onChange={(e) => setSiteId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{t('appointments.allSites')}</option>
              {sites.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <div className="day-nav">
            <button type="button" className="secondary small" onClick={() => setDay(addDays(day, -1))} aria-label={t('appointments.prevDay')}>
              ‹
            </button>
            <input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} aria-label={t('appointments.day')} />
            <button type="button" className="secondary small" onClick={() => setDay(addDays(day, 1))} aria-label={t('appointments.nextDay')}>
              ›
            </button>
            <button type="button" className="link" onClick={() => setDay(null)}>
              {t('appointments.today')}
            </button>
          </div>
        </div>
      </div>
      <p className="subtitle">{f.day(day, 'long')}</p>
      <ErrorNote error={sites.error} onRetry={sites.reload} retryLabel={t('common.retry')} />
      <ErrorNote error={appointments.error} onRetry={appointments.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('appointments.time')}</th>
              <th>{t('appointments.patient')}</th>
              <th>{t('appointments.service')}</th>
              <th>{t('appointments.site')}</th>
              <th>{t('appointments.status')}</th>
            </tr>
          </thead>
          <tbody>
            {appointments.data?.map((a) => (
              <tr key={a.id}>
                <td className="nowrap strong" title={a.timeZone}>
                  {f.time(a.startsAt, a.timeZone)}
                </td>
                <td>{a.patientName}</td>
                <td>{a.serviceName}</td>
                <td>{a.siteName}</td>
                <td>
                  <Chip tone={appointmentTone[a.status]}>{t(`appointmentStatus.${a.status}`)}</Chip>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {appointments.data?.length === 0 && <p className="empty">{t('appointments.empty')}</p>}
        {!appointments.data && !appointments.error && <p className="empty">{t('common.loading')}</p>}
      </div>
    </div>
  );
}
