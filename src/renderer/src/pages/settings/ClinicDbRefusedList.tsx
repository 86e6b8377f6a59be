import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';

/**
 * Ajustes → Base de datos de la clínica → appointments Avisa could not take (or result rows it could not read), with
 * the reason. Once it is fixed (the site code mapped above, say) a row is processed again from here; a row the clinic
 * fixes is read again by itself.
 */
export function ClinicDbRefusedList({ kind = 'appointment' }: { kind?: 'appointment' | 'result' }) {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useCall('clinicDb.refused', {});
  const { run, busy, error } = useFormAction();
  const [outcome, setOutcome] = useState<string | null>(null);
  const rows = (list.data ?? []).filter((r) => r.kind === kind);
  const texts = kind === 'result' ? 'clinicDb.refusedResults' : 'clinicDb.refused';

  const retry = async (id: number): Promise<void> => {
    const done = await run(() => call('clinicDb.retry', { id }));
    if (!done) return;
    setOutcome(done.taken ? t('clinicDb.refused.taken') : t('clinicDb.refused.stillRefused', { reason: done.reason ?? '' }));
    list.reload();
  };

  return (
    <div className="span-all" data-testid={kind === 'result' ? 'db-refused-results' : 'db-refused'}>
      <h4>{t(`${texts}.title`)}</h4>
      <ErrorNote error={list.error ?? error} onRetry={list.reload} retryLabel={t('common.retry')} />
      {outcome && (
        <p className="hint" role="status" data-testid="db-refused-outcome">
          {outcome}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="hint">{t(`${texts}.none`)}</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>{t('clinicDb.refused.when')}</th>
              <th>{kind === 'result' ? t('clinicDb.refusedResults.row') : t('clinicDb.refused.appointment')}</th>
              <th>{t('clinicDb.refused.reason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="db-refused-row">
                <td>{f.moment(r.receivedAt)}</td>
                <td>
                  {[r.patientName, r.start].filter(Boolean).join(' · ') || '—'}
                  <br />
                  <small className="hint">
                    {kind === 'result'
                      ? t('clinicDb.refusedResults.ids', { id: r.appointmentId })
                      : t('clinicDb.refused.ids', { id: r.appointmentId, site: r.site ?? '—' })}
                  </small>
                </td>
                <td data-testid="db-refused-reason">
                  {r.reason}
                  {r.detail && (
                    <small className="hint details" data-testid="db-refused-detail">
                      <br />
                      {t('clinicDb.refusedResults.detail', { detail: r.detail })}
                    </small>
                  )}
                </td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void retry(r.id)} data-testid="db-refused-retry">
                    {t('clinicDb.refused.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
