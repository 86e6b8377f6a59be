import { useTranslation } from 'react-i18next';
import type { Appointment, AppointmentSource } from '../../../../shared/domain';

// Appointments read from the clinic's database or received over its HL7 feed are the clinic's system's own: Avisa
// writes back only a patient's answer (when the clinic set that up), never a new time or a cancellation made here.
// A CSV file usually comes out of some agenda too, but not for sure: its sentence says "if".
const ELSEWHERE: Readonly<Record<AppointmentSource, 'clinicSystem' | 'csvFile' | null>> = {
  'clinic-db': 'clinicSystem',
  hl7: 'clinicSystem',
  csv: 'csvFile',
  manual: null,
  demo: null,
};

/**
 * "Esta cita viene del sistema de la clínica: cámbiela también allí." (or the CSV file's "if" sentence), said where the
 * receptionist decides to move or cancel an imported appointment, so the clinic's own agenda does not keep the old
 * time. Nothing for one booked in Avisa.
 */
export function ClinicSystemNote({
  apt,
  action,
  className,
}: {
  apt: Pick<Appointment, 'source'>;
  action: 'reschedule' | 'cancel';
  className?: string;
}) {
  const { t } = useTranslation();
  const origin = ELSEWHERE[apt.source];
  if (!origin) return null;
  return (
    <p className={className ? `apt-clinic-system ${className}` : 'apt-clinic-system'} data-testid="apt-clinic-system-note">
      {t(`appointments.${origin}.${action}`)}
    </p>
  );
}
