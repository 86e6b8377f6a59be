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
  overlaps: AppointmentOverlap[];
  goAhead: string;
  onGoAhead: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
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
  );
}
