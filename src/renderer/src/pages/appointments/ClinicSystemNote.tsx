import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../shared/domain';

// Appointments read from the clinic's database or received over its HL7 feed are the clinic's system's own: Avisa
// writes back only a patient's answer (when the clinic set that up), never a new time or a cancellation made here.
const CLINIC_SYSTEM_SOURCES: ReadonlySet<string> = new Set(['clinic-db', 'hl7']);

export function isFromClinicSystem(apt: Pick<Appointment, 'source'>): boolean {
  return CLINIC_SYSTEM_SOURCES.has(apt.source);
}

/**
 * "Esta cita viene del sistema de la clínica: cámbiela también allí.", said where the receptionist decides to move or
 * cancel an imported appointment, so the clinic's own agenda does not keep the old time. Nothing for any other one.
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
  if (!isFromClinicSystem(apt)) return null;
  return (
    <p className={className ? `apt-clinic-system ${className}` : 'apt-clinic-system'} data-testid="apt-clinic-system-note">
      {t(`appointments.clinicSystem.${action}`)}
    </p>
  );
}
