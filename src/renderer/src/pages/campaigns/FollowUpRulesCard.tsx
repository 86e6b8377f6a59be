import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, toApiError, type ApiError } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';

/** Post-visit follow-up: N days after an attended visit to a service, at an hour of the site's day. */
export function FollowUpRulesCard() {
  const { t } = useTranslation();
  const rules = useCall('followUps.rules', {});
  const services = useCall('services.list', {}, false);
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

  return (
    <div className="card" data-testid="follow-up-rules">
      <h3>{t('campaigns.followUps')}</h3>
      <p className="hint">{t('campaigns.followUpsHint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('campaigns.service')}</th>
            <th>{t('campaigns.daysAfter')}</th>
            <th>{t('campaigns.hour')}</th>
            <th>{t('campaigns.text')}</th>
            <th>{t('campaigns.metrics.queued')}</th>
            <th>{t('campaigns.metrics.sent')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.data?.map((r) => (
            <tr key={r.id}>
              <td>{serviceName(r.serviceId)}</td>
              <td>{r.daysAfter}</td>
              <td>{`${String(r.hourOfDay).padStart(2, '0')}:00`}</td>
              <td className="reason">{r.templateName ? `${r.templateName}: ${r.templateParams.join(' · ')}` : r.body}</td>
              <td>{r.queued}</td>
              <td>{r.sent}</td>
              <td className="actions">
                <button type="button" className="secondary small" onClick={() => void run(() => call('followUps.deleteRule', { id: r.id }))}>
                  {t('campaigns.deleteRule')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.data?.length === 0 && <p className="empty">{t('campaigns.noRules')}</p>}
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
        <label className="field">
          <span>{t('campaigns.service')}</span>
          <select value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">{t('campaigns.anyService')}</option>
            {services.data?.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
        <label className="field">
          <span>{t('campaigns.daysAfter')}</span>
          <input type="number" min={0} max={365} value={daysAfter} onChange={(e) => setDaysAfter(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('campaigns.hour')}</span>
          <input type="number" min={0} max={23} value={hour} onChange={(e) => setHour(e.target.value)} />
        </label>
        <label className="field span-all">
          <span>{t('campaigns.text')}</span>
          <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          <small className="hint">{t('campaigns.fieldsHint')}</small>
        </label>
        <div className="span-all">
          <ErrorNote error={error ?? rules.error} />
          <button type="submit" disabled={!text.trim()}>
            {t('campaigns.addRule')}
          </button>
        </div>
      </form>
    </div>
  );
}
