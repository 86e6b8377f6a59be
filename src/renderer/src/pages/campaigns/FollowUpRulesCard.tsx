import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { call, toApiError, type ApiError } from '../../api/client';
import { useCall } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import type { FollowUpRuleView } from '../../../../shared/campaigns';
import { useFollowUpRules } from '../../api/resources';

/** Post-visit follow-up: N days after an attended visit to a service, at an hour of the site's day. */
export function FollowUpRulesCard() {
  const { t } = useTranslation();
  const rules = useFollowUpRules();
  const services = useCall('services.list', {});
  const [serviceId, setServiceId] = useState('');
  const [daysAfter, setDaysAfter] = useState('3');
  const [hour, setHour] = useState('10');
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const run = async (action: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await action();
      rules.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const serviceName = (id: number | null) =>
    id === null ? t('campaigns.anyService') : (services.data?.find((s) => s.id === id)?.name ?? `#${id}`);

  const columns: Column<FollowUpRuleView>[] = [
    { key: 'service', header: t('campaigns.service'), cell: (r) => serviceName(r.serviceId) },
    { key: 'days', header: t('campaigns.daysAfter'), cell: (r) => r.daysAfter },
    { key: 'hour', header: t('campaigns.hour'), cell: (r) => `${String(r.hourOfDay).padStart(2, '0')}:00` },
    {
      key: 'text',
      header: t('campaigns.text'),
      className: 'reason',
      cell: (r) => (r.templateName ? `${r.templateName}: ${r.templateParams.join(' · ')}` : r.body),
    },
    { key: 'queued', header: t('campaigns.metrics.queued'), cell: (r) => r.queued },
    { key: 'sent', header: t('campaigns.metrics.sent'), cell: (r) => r.sent },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: (r) => (
        <button type="button" className="secondary small" onClick={() => void run(() => call('followUps.deleteRule', { id: r.id }))}>
          {t('campaigns.deleteRule')}
        </button>
      ),
    },
  ];

  return (
    <div className="card" data-testid="follow-up-rules">
      <h3>{t('campaigns.followUps')}</h3>
      <p className="hint">{t('campaigns.followUpsHint')}</p>
      <DataTable
        framed={false}
        columns={columns}
        rows={rules.data}
        rowKey={(r) => r.id}
        empty={t('campaigns.noRules')}
        error={rules.error}
        onRetry={rules.reload}
      />
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await call('followUps.saveRule', {
              name: text.slice(0, 60) || t('campaigns.followUps'),
              serviceId: serviceId ? Number(serviceId) : null,
              daysAfter: Number(daysAfter),
              hourOfDay: Number(hour),
              templateName: null,
              templateParams: [],
              body: text,
            });
            setText('');
          });
        }}
      >
        <Field label={t('campaigns.service')}>
          <select value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">{t('campaigns.anyService')}</option>
            {services.data?.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </Field>
        <Field label={t('campaigns.daysAfter')}>
          <input type="number" min={0} max={365} value={daysAfter} onChange={(e) => setDaysAfter(e.target.value)} />
        </Field>
        <Field label={t('campaigns.hour')}>
          <input type="number" min={0} max={23} value={hour} onChange={(e) => setHour(e.target.value)} />
        </Field>
        <Field label={t('campaigns.text')} hint={t('campaigns.fieldsHint')} wide>
          <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <div className="span-all">
          <ErrorNote error={error} />
          <button type="submit" disabled={!text.trim()}>
            {t('campaigns.addRule')}
          </button>
        </div>
      </form>
    </div>
  );
}
