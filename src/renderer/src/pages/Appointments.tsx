import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfirmationFilter } from '../../../shared/appointments-api';
import type { Appointment, Site } from '../../../shared/domain';
import { useCall } from '../api/hooks';
import { useAppointmentBoard } from '../api/resources';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { NamedOptions } from '../components/NamedOptions';
import { addDays, dayOf, todayIn, useFormat } from '../format';
import { useNav } from '../nav';
import { zoneCity } from '../zones';
import { appointmentColumns, appointmentRowProps, boardRows, CancelAppointment } from './appointments/AppointmentColumns';
import { ConfirmationChips } from './appointments/ConfirmationChips';
import { CsvImport } from './appointments/CsvImport';
import { NewAppointmentForm } from './appointments/NewAppointmentForm';
import { RepliesPanel } from './appointments/RepliesPanel';
import { RescheduleForm, type RescheduleTarget } from './appointments/RescheduleForm';
import { MessageDetail } from './messages/MessageDetail';
import './appointments/appointments.css';

/**
 * Citas: a day at every site (or one), counted by what the patients answered, each appointment with its reminders,
 * the reply's intent and what will not go and why; rescheduling and the replies to attend on the same page.
 */
export function Appointments() {
  const { t } = useTranslation();
  const sites = useCall('sites.list', {});
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

function AppointmentsOfDay({ sites }: { sites: Site[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { goTo } = useNav();
  // null: every site. The first site's zone names "today" for the whole clinic (its sites share a country).
  const [siteId, setSiteId] = useState<number | null>(null);
  const site = siteId === null ? null : (sites.find((s) => s.id === siteId) ?? null);
  const zone = site?.timeZone ?? sites[0]?.timeZone;
  const today = todayIn(zone);
  const [pickedDay, setDay] = useState<string | null>(null);
  const day = pickedDay ?? today;
  const [filter, setFilter] = useState<ConfirmationFilter | null>(null);
  const [composing, setComposing] = useState(false);
  const [importing, setImporting] = useState(false);
  const [moving, setMoving] = useState<RescheduleTarget | null>(null);
  const [openMessage, setOpenMessage] = useState<number | null>(null);
  const closeMessage = useCallback(() => setOpenMessage(null), [setOpenMessage]);
  const view = useAppointmentBoard({
    day,
    ...(site ? { siteId: site.id } : {}),
    ...(filter ? { filter } : {}),
  });
  const data = view.data;
  const rows = useMemo(() => boardRows(data), [data]);
  const allSites = site === null && sites.length > 1;
  // The appointment whose "Cancelar cita" waits for a yes.
  const [cancelling, setCancelling] = useState<number | null>(null);
  const columns = appointmentColumns({
    t,
    f,
    showSite: allSites,
    onChanged: view.reload,
    onReschedule: (appointment) => setMoving({ appointment }),
    onAskCancel: (appointment) => setCancelling(appointment.id),
    asking: cancelling,
    onOpenMessage: setOpenMessage,
  });

  const showDay = (a: Appointment): void => {
    setFilter(null);
    setDay(dayOf(a.startsAt, a.timeZone));
    view.reload();
  };

  return (
    <div className={openMessage === null ? 'page apt-page' : 'page apt-page with-drawer'}>
      <div className="page-head">
        <h2>{t('nav.appointments')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('appointments.site')}</span>
            <select
              value={site?.id ?? ''}
              onChange={(e) => setSiteId(e.target.value === '' ? null : Number(e.target.value))}
              data-testid="apt-site-filter"
            >
              <option value="">{t('appointments.board.allSites')}</option>
              <NamedOptions items={sites} />
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
            <button type="button" className="link" onClick={() => setDay(null)} aria-pressed={day === today} data-testid="apt-today">
              {t('appointments.today')}
            </button>
            <button
              type="button"
              className="link"
              onClick={() => setDay(addDays(today, 1))}
              aria-pressed={day === addDays(today, 1)}
              data-testid="apt-tomorrow"
            >
              {t('appointments.board.tomorrow')}
            </button>
          </div>
          {!composing && (
            <button type="button" onClick={() => setComposing(true)} data-testid="apt-new">
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
        <span>
          {' · '}
          {site
            ? t('appointments.zoneNote', { site: site.name, zone: zoneCity(site.timeZone) })
            : t('appointments.board.allSitesNote')}
        </span>
        {' · '}
        <button type="button" className="link inline" onClick={() => goTo({ page: 'settings', section: 'reminders' })}>
          {t('appointments.rulesLink')}
        </button>
      </p>
      <ConfirmationChips counts={data?.counts} filter={filter} onFilter={setFilter} />
      {composing && (
        <NewAppointmentForm
          sites={sites}
          siteId={site?.id ?? sites[0]?.id ?? 0}
          day={day}
          onClose={() => setComposing(false)}
          onCreated={(a) => {
            setComposing(false);
            showDay(a);
          }}
        />
      )}
      {moving && (
        <RescheduleForm
          key={`${moving.appointment.id}-${moving.replyId ?? ''}`}
          target={moving}
          onClose={() => setMoving(null)}
          onDone={(a) => {
            setMoving(null);
            showDay(a);
          }}
        />
      )}
      {importing && <CsvImport onClose={() => setImporting(false)} onImported={view.reload} />}
      <DataTable
        className="appointments"
        columns={columns}
        rows={data && rows}
        rowKey={(row) => row.a.id}
        rowProps={appointmentRowProps}
        below={(row) => [
          row.a.id === cancelling && (
            <CancelAppointment
              a={row.a}
              onNo={() => setCancelling(null)}
              onDone={() => {
                setCancelling(null);
                view.reload();
              }}
            />
          ),
        ]}
        belowClassName="apt-action-row"
        empty={filter ? t('appointments.board.emptyFilter') : t('appointments.empty')}
        error={view.error}
        onRetry={view.reload}
      />
      <RepliesPanel onReschedule={(appointment, replyId) => setMoving({ appointment, replyId })} onChanged={view.reload} />
      {openMessage !== null && (
        <MessageDetail key={openMessage} id={openMessage} onClose={closeMessage} onOpen={setOpenMessage} onChanged={view.reload} />
      )}
    </div>
  );
}
