import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../shared/domain';
import { ConfirmBar } from '../../components/ConfirmBar';
import { useFormat } from '../../format';
import { ClinicSystemNote } from './ClinicSystemNote';

/**
 * "¿Cancelar la cita de Rosa del 5 mar 10:00?": asked before an appointment is cancelled, from its row in Citas or
 * from the patient's reply, since its pending reminders are withdrawn and a cancellation is not undone by a click.
 * For an appointment from the clinic's system, it also says to cancel it there.
 */
export function CancelQuestion({
  apt,
  busy,
  onYes,
  onNo,
  testId,
}: {
  apt: Pick<Appointment, 'patientName' | 'startsAt' | 'timeZone' | 'source'>;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ConfirmBar yes={t('appointments.board.reply.cancelYes')} onYes={onYes} onNo={onNo} busy={busy} danger testId={testId}>
      <p>
        {t('appointments.board.reply.cancelQuestion', {
          patient: apt.patientName,
          when: f.dateTime(apt.startsAt, apt.timeZone),
        })}
      </p>
      <ClinicSystemNote apt={apt} action="cancel" />
    </ConfirmBar>
  );
}
