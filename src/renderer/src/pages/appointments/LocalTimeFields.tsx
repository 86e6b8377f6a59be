import { useTranslation } from 'react-i18next';
import { appointmentInstant, parseClock } from '../../format';
import { zoneCity } from '../../zones';

/** Why the date and hour cannot be saved: no valid time, or an hour the site's clock skips that day. */
export type TimeProblem = 'when' | 'skipped';

/**
 * An appointment's date and hour as the site's clock reads them, with the one line under the hour that matters now:
 * why it cannot be saved, that the hour happens twice that day (the first one is taken), or whose clock it is.
 */
export function LocalTimeFields({
  day,
  time,
  onDay,
  onTime,
  zone,
  siteName,
  problem,
  testIdPrefix,
  errorTestId,
}: {
  day: string;
  time: string;
  onDay: (day: string) => void;
  onTime: (time: string) => void;
  /** The site's time zone; unknown until a site is chosen. */
  zone: string | null;
  siteName: string;
  problem: TimeProblem | null;
  /** `<prefix>-date`, `<prefix>-time` and `<prefix>-time-repeated`. */
  testIdPrefix: string;
  errorTestId: string;
}) {
  const { t } = useTranslation();
  const typed = parseClock(time);
  const repeated = zone && typed !== null ? appointmentInstant(day, typed, zone) : null;
  const note =
    problem === 'skipped' && zone ? (
      <small className="field-error" data-testid={errorTestId}>
        {t('appointments.errors.skipped', { time, day, zone })}
      </small>
    ) : problem === 'when' ? (
      <small className="field-error" data-testid={errorTestId}>
        {t('appointments.errors.when')}
      </small>
    ) : repeated?.ok && repeated.ambiguous && zone ? (
      <small className="hint" data-testid={`${testIdPrefix}-time-repeated`}>
        {t('appointments.repeatedHour', { time, zone })}
      </small>
    ) : (
      zone && <small className="hint">{t('appointments.localHint', { site: siteName, zone: zoneCity(zone) })}</small>
    );
  return (
    <>
      <label className="field">
        <span>{t('appointments.date')}</span>
        <input
          type="date"
          value={day}
          onChange={(e) => onDay(e.target.value)}
          aria-invalid={problem === 'when'}
          data-testid={`${testIdPrefix}-date`}
        />
      </label>
      <label className="field">
        <span>{t('appointments.hour')}</span>
        <input
          type="time"
          value={time}
          onChange={(e) => onTime(e.target.value)}
          aria-invalid={problem !== null}
          data-testid={`${testIdPrefix}-time`}
        />
        {note}
      </label>
    </>
  );
}

/** The instant of a date and "HH:MM" at a site, or why there is none. */
export function localInstant(day: string, time: string, zone: string): { at: number } | { problem: TimeProblem } {
  const minute = parseClock(time);
  // The one rule for local times: an hour the clock skips that day is refused here, never silently moved.
  const when = minute !== null ? appointmentInstant(day, minute, zone) : null;
  if (when?.ok) return { at: when.at };
  return { problem: when && when.skipped ? 'skipped' : 'when' };
}
