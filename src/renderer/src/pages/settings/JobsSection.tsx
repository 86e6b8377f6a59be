import { useTranslation } from 'react-i18next';
import type { JobView } from '../../../../shared/operations';
import { useJobs } from '../../api/settingsResources';
import { DataTable, type Column } from '../../components/DataTable';
import { useFormat } from '../../format';

/** Ajustes → Estado: every calendar job, its rule and zone, when it runs next, when it last ran and how that went. */
export function JobsSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const jobs = useJobs();
  const columns: Column<JobView>[] = [
    {
      key: 'name',
      header: t('jobs.name'),
      // "dailyCap.reset America/Lima": the job's name in words, its zone in brackets.
      cell: (j) => `${t(`jobs.names.${j.name.split(' ')[0] ?? j.name}`, { defaultValue: j.name })}${j.name.includes(' ') ? ` (${j.name.split(' ')[1]})` : ''}`,
    },
    { key: 'rule', header: t('jobs.rule'), cell: (j) => <code>{j.rule}</code> },
    { key: 'zone', header: t('jobs.zone'), cell: (j) => j.zone },
    { key: 'next', header: t('jobs.next'), cell: (j) => (j.nextRun ? f.dateTime(j.nextRun, j.zone) : '—') },
    { key: 'last', header: t('jobs.last'), cell: (j) => (j.lastRun ? f.dateTime(j.lastRun, j.zone) : t('jobs.never')) },
    {
      key: 'error',
      header: t('jobs.error'),
      cell: (j) => j.lastError ?? '—',
      cellProps: (j) => ({ className: j.lastError ? 'error-note' : 'muted' }),
    },
  ];
  return (
    <section className="card" id="settings-status" data-testid="jobs-section">
      <h3>{t('jobs.title')}</h3>
      <p className="hint">{t('jobs.hint')}</p>
      <DataTable
        columns={columns}
        rows={jobs.data}
        rowKey={(j) => j.name}
        rowProps={(j) => ({ 'data-job': j.name })}
        empty={t('jobs.none')}
        error={jobs.error}
        onRetry={jobs.reload}
        testId="jobs-table"
        framed={false}
      />
    </section>
  );
}
