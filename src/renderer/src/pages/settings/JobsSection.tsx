import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormat } from '../../format';

/** Ajustes → Estado: every calendar job, its rule and zone, when it runs next, when it last ran and how that went. */
export function JobsSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const jobs = useCall('jobs.list', {});
  return (
    <section className="card" id="settings-status" data-testid="jobs-section">
      <h3>{t('jobs.title')}</h3>
      <p className="hint">{t('jobs.hint')}</p>
      <ErrorNote error={jobs.error} onRetry={jobs.reload} retryLabel={t('common.retry')} />
      {jobs.data && (
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th>{t('jobs.name')}</th>
              <th>{t('jobs.rule')}</th>
              <th>{t('jobs.zone')}</th>
              <th>{t('jobs.next')}</th>
              <th>{t('jobs.last')}</th>
              <th>{t('jobs.error')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((j) => (
              <tr key={j.name} data-job={j.name}>
                <td>{t(`jobs.names.${j.name.split(' ')[0] ?? j.name}`, { defaultValue: j.name })}{j.name.includes(' ') ? ` (${j.name.split(' ')[1]})` : ''}</td>
                <td><code>{j.rule}</code></td>
                <td>{j.zone}</td>
                <td>{j.nextRun ? f.dateTime(j.nextRun, j.zone) : '—'}</td>
                <td>{j.lastRun ? f.dateTime(j.lastRun, j.zone) : t('jobs.never')}</td>
                <td className={j.lastError ? 'error-note' : 'muted'}>{j.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
