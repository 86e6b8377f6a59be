import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment, Patient, Site } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { FormActions } from '../../components/FormActions';
import { NamedOptions } from '../../components/NamedOptions';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { PatientPicker } from '../messages/PatientPicker';
import { LocalTimeFields, localInstant, type TimeProblem } from './LocalTimeFields';
import { OverlapWarning, useOverlapGate } from './OverlapWarning';

type Problem = 'patient' | 'service' | TimeProblem;

/** Manual entry at the front desk (`appointments.create`): the date and time are the site's, its reminders are planned at once. */
export function NewAppointmentForm({
  sites,
  siteId: initialSiteId,
  day: initialDay,
  onClose,
  onCreated,
}: {
  sites: Site[];
  siteId: number;
  day: string;
  onClose: () => void;
  onCreated: (a: Appointment) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const services = useCall('services.list', {});
  const [patient, setPatient] = useState<Patient | null>(null);
  const [siteId, setSiteId] = useState(initialSiteId);
  const [serviceId, setServiceId] = useState<number | null>(null);
  const [day, setDay] = useState(initialDay);
  const [time, setTime] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const overlaps = useOverlapGate(run);
  const site = sites.find((s) => s.id === siteId) ?? null;
  const service = serviceId ?? services.data?.[0]?.id ?? null;
  // The input as typed, for the double-booking warning found for exactly this input.
  const typed = site ? localInstant(day, time, site.timeZone) : null;
  const typedAt = typed && 'at' in typed ? typed.at : Number.NaN;
  const typedKey = JSON.stringify({ patientId: patient?.id, siteId, serviceId: service, startsAt: typedAt });

  const submit = async (event: FormEvent | null, goAhead = false): Promise<void> => {
    event?.preventDefault();
    const when = site ? localInstant(day, time, site.timeZone) : ({ problem: 'when' } as const);
    const startsAt = 'at' in when ? when.at : Number.NaN;
    const found: Problem | null = !patient ? 'patient' : service === null ? 'service' : 'problem' in when ? when.problem : null;
    setProblem(found);
    if (found || !patient || service === null || !site) return;
    const input = { patientId: patient.id, siteId: site.id, serviceId: service, startsAt };
    const key = JSON.stringify(input);
    const ask = () => call('appointments.overlaps', { patientId: patient.id, siteId: site.id, startsAt });
    if (!(await overlaps.clear(key, goAhead, ask))) return;
    const created = await run(() => call('appointments.create', input));
    if (!created) return;
    notify.ok(t('appointments.created'));
    onCreated(created);
  };

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="apt-form">
      <h3 className="span-all">{t('appointments.newTitle')}</h3>
      <PatientPicker value={patient} onChange={setPatient} invalid={problem === 'patient'} testIdPrefix="apt" />
      <label className="field">
        <span>{t('appointments.site')}</span>
        <select value={siteId} onChange={(e) => setSiteId(Number(e.target.value))} data-testid="apt-site">
          <NamedOptions items={sites} />
        </select>
      </label>
      <label className="field">
        <span>{t('appointments.service')}</span>
        <select
          value={service ?? ''}
          onChange={(e) => setServiceId(Number(e.target.value))}
          aria-invalid={problem === 'service'}
          data-testid="apt-service"
        >
          <NamedOptions items={services.data} />
        </select>
        {problem === 'service' && <small className="field-error">{t('appointments.errors.service')}</small>}
        <ErrorNote error={services.error} onRetry={services.reload} retryLabel={t('common.retry')} />
      </label>
      <LocalTimeFields
        day={day}
        time={time}
        onDay={setDay}
        onTime={setTime}
        zone={site?.timeZone ?? null}
        siteName={site?.name ?? ''}
        problem={problem === 'when' || problem === 'skipped' ? problem : null}
        testIdPrefix="apt"
        errorTestId="apt-time-error"
      />
      <OverlapWarning
        overlaps={overlaps.shownFor(typedKey)}
        goAhead={t('appointments.board.overlap.createAnyway')}
        onGoAhead={() => void submit(null, true)}
        busy={busy}
      />
      <FormActions
        wide
        error={error}
        busy={busy}
        onCancel={onClose}
        submit={t('appointments.save')}
        busyLabel={t('appointments.saving')}
        submitTestId="apt-save"
      />
    </form>
  );
}
