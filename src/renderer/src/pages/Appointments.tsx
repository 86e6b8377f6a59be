import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentDay } from '../../../shared/api';
import type { Appointment, Site } from '../../../shared/domain';
import { useCall } from '../api/hooks';
import { ErrorNote } from '../components/ErrorNote';
import { addDays, dayOf, startOfDay, todayIn, useFormat } from '../format';
import { useNav } from '../nav';
import { AppointmentRow } from './appointments/AppointmentRow';
import { CsvImport } from './appointments/CsvImport';
import { NewAppointmentForm } from './appointments/NewAppointmentForm';
import { RepliesPanel } from './appointments/RepliesPanel';

/** Citas: one site's day, each appointment with its reminders, the patient's answer and what will not go and why. */
export function Appointments() {
  const { t } = useTranslation();
  const sites = useCall('sites.list', {}, false);
  if (!sites.data) {
    return (
      <div className="page">
        <div className="page-head">
          <h2>{t('nav.appointments')}</h2>
        </div>
        <ErrorNote error={sites.error} onRetry={sites.reload} retryLabel={t('common.retry')} />
        {!sites.error && <p className="muted">{t('common.loading')}</p>}
      </div>
    );
  }
  return <AppointmentsOfDay sites={sites.data} />;
}

const NO_APPOINTMENTS: readonly Appointment[] = [];

function AppointmentsOfDay({ sites }: { sites: Site[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { goTo } = useNav();
  const [siteId, setSiteId] = useState<number | null>(null);
  // The day and its bounds are the site's own, wherever this computer is.
  const site = sites.find((s) => s.id === siteId) ?? sites[0] ?? null;
  const zone = site?.timeZone;
  const [pickedDay, setDay] = useState<string | null>(null);
  const day = pickedDay ?? todayIn(zone);
  const [composing, setComposing] = useState(false);
  const [importing, setImporting] = useState(false);
  const view = useCall('appointments.day', {
    from: startOfDay(day, zone),
    to: startOfDay(addDays(day, 1), zone),
    ...(site ? { siteId: site.id } : {}),
  });
  const data = view.data;
  const appointments = data?.appointments ?? NO_APPOINTMENTS;

  const showCreated = (a: Appointment): void => {
    setComposing(false);
    setSiteId(a.siteId);
    setDay(dayOf(a.startsAt, a.timeZone));
    view.reload();
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.appointments')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('appointments.site')}</span>
            <select value={site?.id ?? ''} onChange={(e) => setSiteId(Number(e.target.value))} data-testid="apt-site-filter">
              {sites.map((s) => (
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
            <input
              type="date"
              value={day}
              onChange={(e) => e.target.value && setDay(e.target.value)}
              aria-label={t('appointments.day')}
              data-testid="apt-day"
            />
            <button type="button" className="secondary small" onClick={() => setDay(addDays(day, 1))} aria-label={t('appointments.nextDay')}>
              ›
            </button>
            <button type="button" className="link" onClick={() => setDay(null)}>
              {t('appointments.today')}
            </button>
          </div>
          {!composing && (
            <button type="button" onClick={() => setComposing(true)} disabled={!site} data-testid="apt-new">
              {t('appointments.new')}
            </button>
          )}
          {!importing && (
            <button type="button" className="secondary" onClick={() => setImporting(true)} data-testid="apt-import">
              {t('appointmentsCsv.open')}
            </button>
          )}
        </div>
      </div>
      <p className="subtitle">
        {f.day(day, 'long')}
        {site && <span> · {t('appointments.zoneNote', { site: site.name, zone: site.timeZone })}</span>}
        {' · '}
        <button type="button" className="link inline" onClick={() => goTo({ page: 'settings', section: 'reminders' })}>
          {t('appointments.rulesLink')}
        </button>
      </p>
      {composing && site && (
        <NewAppointmentForm sites={sites} siteId={site.id} day={day} onClose={() => setComposing(false)} onCreated={showCreated} />
      )}
      {importing && <CsvImport onClose={() => setImporting(false)} onImported={view.reload} />}
      <ErrorNote error={view.error} onRetry={view.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table appointments">
          <thead>
            <tr>
              <th>{t('appointments.time')}</th>
              <th>{t('appointments.patient')}</th>
              <th>{t('appointments.service')}</th>
              <th>{t('appointments.status')}</th>
              <th>{t('appointments.answer')}</th>
              <th>{t('appointments.reminders')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {appointments.map((a) => (
              <AppointmentRow key={a.id} a={a} {...partsOf(data, a.id)} onChanged={view.reload} />
            ))}
          </tbody>
        </table>
        {data?.appointments.length === 0 && <p className="empty">{t('appointments.empty')}</p>}
        {!data && !view.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      <RepliesPanel appointments={appointments} />
    </div>
  );
}

function partsOf(
  data: AppointmentDay | undefined,
  id: number,
): { reminders: AppointmentDay['reminders']; answer: AppointmentDay['answers'][number] | null; issues: AppointmentDay['issues'] } {
  return {
    reminders: data?.reminders.filter((r) => r.appointmentId === id) ?? [],
    answer: data?.answers.find((x) => x.appointmentId === id) ?? null,
    issues: data?.issues.filter((i) => i.appointmentId === id) ?? [],
  };
}
