import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentOverlap } from '../../../../shared/appointments-api';
import { useFormat } from '../../format';

/**
 * Before saving a time that collides with another appointment: which one, and a way to go ahead anyway (two
 * appointments within the hour can be what the patient wants: a lab test before the consultation).
 */
export function OverlapWarning({
  overlaps,
  goAhead,
  onGoAhead,
  busy,
}: {
  /** Null: nothing collides with what the form holds now (or it was not asked yet). */
  overlaps: AppointmentOverlap[] | null;
  goAhead: string;
  onGoAhead: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!overlaps) return null;
  return (
    <div className="span-all">
      <div className="apt-overlap warning" role="alert" data-testid="apt-overlap">
        <strong>{t('appointments.board.overlap.title')}</strong>
        <ul>
          {overlaps.map(({ appointment: o, kind }) => (
            <li key={`${kind}-${o.id}`} data-testid="apt-overlap-item" data-kind={kind}>
              {t(`appointments.board.overlap.${kind}`, {
                patient: o.patientName,
                service: o.serviceName,
                site: o.siteName,
                when: f.dateTime(o.startsAt, o.timeZone),
              })}
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" disabled={busy} onClick={onGoAhead} data-testid="apt-overlap-go">
          {goAhead}
        </button>
      </div>
    </div>
  );
}

/**
 * A double booking is warned about before saving, and the person may go ahead, for exactly the input the warning was
 * found for: a changed field asks again.
 */
export function useOverlapGate(run: <T>(action: () => Promise<T>) => Promise<T | undefined>) {
  const [found, setFound] = useState<{ key: string; rows: AppointmentOverlap[] } | null>(null);
  /** True when saving may go on: nothing collides, or the person chose to go ahead for this very input. */
  const clear = async (key: string, goAhead: boolean, ask: () => Promise<AppointmentOverlap[]>): Promise<boolean> => {
    if (goAhead && found?.key === key) return true;
    const rows = await run(ask);
    if (!rows) return false;
    if (rows.length === 0) return true;
    setFound({ key, rows });
    return false;
  };
  /** The collisions found for this input, if any. */
  const shownFor = (key: string): AppointmentOverlap[] | null => (found?.key === key ? found.rows : null);
  return { clear, shownFor };
}
