import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentOverlap } from '../../../../shared/appointments-api';
import type { Appointment } from '../../../../shared/domain';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { appointmentInstant, dayOf, parseClock, useFormat } from '../../format';
import { zoneCity } from '../../zones';
import { OverlapWarning } from './OverlapWarning';

export interface RescheduleTarget {
  appointment: Appointment;
  /** The reply that asked for the change: attended with this action. */
  replyId?: number;
}

type Problem = 'when' | 'skipped';

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
  const [problem, setProblem] = useState<Problem | null>(null);
  // Shown once for the time typed; "Reprogramar de todos modos" saves it.
  const [overlaps, setOverlaps] = useState<{ key: string; rows: AppointmentOverlap[] } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const typed = parseClock(time);
  const repeated = typed !== null ? appointmentInstant(day, typed, a.timeZone) : null;

  const save = async (goAhead: boolean): Promise<void> => {
    const minute = parseClock(time);
    const when = minute !== null ? appointmentInstant(day, minute, a.timeZone) : null;
    const found: Problem | null = when && !when.ok && when.skipped ? 'skipped' : !when?.ok ? 'when' : null;
    setProblem(found);
    if (found || !when?.ok) return;
    const key = `${day}T${time}`;
    if (!goAhead || overlaps?.key !== key) {
      const rows = await run(() =>
        call('appointments.overlaps', { patientId: a.patientId, siteId: a.siteId, startsAt: when.at, excludeId: a.id }),
      );
      if (!rows) return;
      if (rows.length > 0) {
        setOverlaps({ key, rows });
        return;
      }
    }
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
      <label className="field">
        <span>{t('appointments.date')}</span>
        <input
          type="date"
          value={day}
          onChange={(e) => {
            setDay(e.target.value);
            setProblem(null);
          }}
          aria-invalid={problem === 'when'}
          data-testid="apt-reschedule-date"
        />
      </label>
      <label className="field">
        <span>{t('appointments.hour')}</span>
        <input
          type="time"
          value={time}
          onChange={(e) => {
            setTime(e.target.value);
            setProblem(null);
          }}
          aria-invalid={problem !== null}
          data-testid="apt-reschedule-time"
        />
        {problem === 'skipped' ? (
          <small className="field-error" data-testid="apt-reschedule-error">
            {t('appointments.errors.skipped', { time, day, zone: a.timeZone })}
          </small>
        ) : problem === 'when' ? (
          <small className="field-error" data-testid="apt-reschedule-error">
            {t('appointments.errors.when')}
          </small>
        ) : repeated?.ok && repeated.ambiguous ? (
          <small className="hint">{t('appointments.repeatedHour', { time, zone: a.timeZone })}</small>
        ) : (
          <small className="hint">{t('appointments.localHint', { site: a.siteName, zone: zoneCity(a.timeZone) })}</small>
        )}
      </label>
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
      {overlaps && overlaps.key === `${day}T${time}` && (
        <div className="span-all">
          <OverlapWarning
            overlaps={overlaps.rows}
            goAhead={t('appointments.board.overlap.rescheduleAnyway')}
            onGoAhead={() => void save(true)}
            busy={busy}
          />
        </div>
      )}
      <div className="span-all">
        <ErrorNote error={error} />
      </div>
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy} data-testid="apt-reschedule-save">
          {busy ? t('appointments.saving') : t('appointments.board.rescheduleSave')}
        </button>
      </div>
    </form>
  );
}

/** "HH:MM" of an instant at the site, as a time input takes it. */
function localClock(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}
