import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useClinicDbRefused } from '../../api/settingsResources';
import { RefusedList } from './RefusedList';

/**
 * Ajustes → Base de datos de la clínica → appointments Avisa could not take (or result rows it could not read), with
 * the reason. Once it is fixed (the site code mapped above, say) a row is processed again from here; a row the clinic
 * fixes is read again by itself.
 */
export function ClinicDbRefusedList({ kind = 'appointment' }: { kind?: 'appointment' | 'result' }) {
  const { t } = useTranslation();
  const list = useClinicDbRefused();
  const results = kind === 'result';
  return (
    <RefusedList
      testId={results ? 'db-refused-results' : 'db-refused'}
      itemTestId="db-refused"
      texts="clinicDb.refused"
      title={results ? t('clinicDb.refusedResults.title') : t('clinicDb.refused.title')}
      none={results ? t('clinicDb.refusedResults.none') : t('clinicDb.refused.none')}
      rows={list.data?.filter((r) => r.kind === kind)}
      list={list}
      what={{
        header: results ? t('clinicDb.refusedResults.row') : t('clinicDb.refused.appointment'),
        cell: (r) => (
          <>
            {[r.patientName, r.start].filter(Boolean).join(' · ') || '—'}
            <br />
            <small className="hint">
              {results
                ? t('clinicDb.refusedResults.ids', { id: r.appointmentId })
                : t('clinicDb.refused.ids', { id: r.appointmentId, site: r.site ?? '—' })}
            </small>
          </>
        ),
      }}
      detail={(r) => (r.detail ? t('clinicDb.refusedResults.detail', { detail: r.detail }) : null)}
      retry={(id) => call('clinicDb.retry', { id })}
    />
  );
}
