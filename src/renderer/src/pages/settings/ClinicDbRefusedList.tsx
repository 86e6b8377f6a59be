import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useClinicDbRefused } from '../../api/settingsResources';
import { RefusedList } from './RefusedList';

/**
 * Ajustes → Base de datos de la clínica → appointments Avisa could not take, with the reason. Once it is fixed (the
 * site code mapped above, say) a row is processed again from here; a row the clinic fixes is read again by itself.
 */
export function ClinicDbRefusedList() {
  const { t } = useTranslation();
  return (
    <RefusedList
      testId="db-refused"
      texts="clinicDb.refused"
      list={useClinicDbRefused()}
      what={{
        header: t('clinicDb.refused.appointment'),
        cell: (r) => (
          <>
            {[r.patientName, r.start].filter(Boolean).join(' · ') || '—'}
            <br />
            <small className="hint">{t('clinicDb.refused.ids', { id: r.appointmentId, site: r.site ?? '—' })}</small>
          </>
        ),
      }}
      retry={(id) => call('clinicDb.retry', { id })}
    />
  );
}
