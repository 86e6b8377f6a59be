import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../shared/domain';
import { call } from '../../api/client';
import { FormActions } from '../../components/FormActions';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { dayOf, useFormat } from '../../format';
import { ClinicSystemNote } from './ClinicSystemNote';
import { LocalTimeFields, localInstant, type TimeProblem } from './LocalTimeFields';
import { OverlapWarning, useOverlapGate } from './OverlapWarning';

export interface RescheduleTarget {
  appointment: Appointment;
  /** The reply that asked for the change: attended with this action. */
  replyId?: number;
}

/**
 * "Reprogramar": a new date and time at the appointment's site, by the front desk form's rules (a skipped hour is
 * refused with the reason, a repeated one is its earlier occurrence); the reminders move, and the patient may be told.
 */
export function RescheduleForm({
  target,
  onClose,
  onDone,
}: {
  target: RescheduleTarget;
  onClose: () => void;
  onDone: (a: Appointment) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const a = target.appointment;
  const [day, setDay] = useState(dayOf(a.startsAt, a.timeZone));
  // The current time as a starting point: often only the day changes.
  const [time, setTime] = useState(() => localClock(a.startsAt, a.timeZone));
  const [notifyPatient, setNotifyPatient] = useState(true);
  const [problem, setProblem] = useState<TimeProblem | null>(null);
  // Shown once for the time typed; "Reprogramar de todos modos" saves it.
  const overlaps = useOverlapGate(run);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const save = async (goAhead: boolean): Promise<void> => {
    const when = localInstant(day, time, a.timeZone);
    setProblem('problem' in when ? when.problem : null);
    if ('problem' in when) return;
    const key = `${day}T${time}`;
    const ask = () => call('appointments.overlaps', { patientId: a.patientId, siteId: a.siteId, startsAt: when.at, excludeId: a.id });
    if (!(await overlaps.clear(key, goAhead, ask))) return;
    const input = {
      id: a.id,
      localDateTime: key,
      notifyPatient,
      ...(target.replyId !== undefined ? { replyId: target.replyId } : {}),
    };
    const done = await run(() => call('appointments.reschedule', input));
    if (!done) return;
    const moved = t('appointments.board.rescheduled', { when: f.dateTime(done.appointment.startsAt, done.appointment.timeZone) });
    if (done.notice && !done.notice.queued) notify.warn(`${moved} ${done.notice.reason}`);
    else notify.ok(done.notice?.queued ? `${moved} ${t('appointments.board.patientTold')}` : moved);
    onDone(done.appointment);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save(false);
  };

  return (
    <form className="card form-grid" onSubmit={submit} noValidate data-testid="apt-reschedule-form">
      <h3 className="span-all" tabIndex={-1} ref={heading}>
        {t('appointments.board.rescheduleTitle', { patient: a.patientName })}
      </h3>
      <p className="span-all muted" data-testid="apt-reschedule-current">
        {t('appointments.board.currentTime', {
          when: f.dateTime(a.startsAt, a.timeZone),
          service: a.serviceName,
          site: a.siteName,
        })}
      </p>
      <ClinicSystemNote apt={a} action="reschedule" className="span-all warning-note" />
      <LocalTimeFields
        day={day}
        time={time}
        onDay={(value) => {
          setDay(value);
          setProblem(null);
        }}
        onTime={(value) => {
          setTime(value);
          setProblem(null);
        }}
        zone={a.timeZone}
        siteName={a.siteName}
        problem={problem}
        testIdPrefix="apt-reschedule"
        errorTestId="apt-reschedule-error"
      />
      <label className="check span-all">
        <input
          type="checkbox"
          checked={notifyPatient}
          onChange={(e) => setNotifyPatient(e.target.checked)}
          data-testid="apt-reschedule-notify"
        />
        <span>{t('appointments.board.notifyPatient')}</span>
      </label>
      <p className="span-all hint">{t('appointments.board.remindersMove')}</p>
      <OverlapWarning
        overlaps={overlaps.shownFor(`${day}T${time}`)}
        goAhead={t('appointments.board.overlap.rescheduleAnyway')}
        onGoAhead={() => void save(true)}
        busy={busy}
      />
      <FormActions
        wide
        error={error}
        busy={busy}
        onCancel={onClose}
        submit={t('appointments.board.rescheduleSave')}
        busyLabel={t('appointments.saving')}
        submitTestId="apt-reschedule-save"
      />
    </form>
  );
}

/** "HH:MM" of an instant at the site, as a time input takes it. */
function localClock(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}
