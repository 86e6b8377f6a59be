import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignView } from '../../../shared/campaigns';
import { call, toApiError, type ApiError } from '../api/client';
import { useCall } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { useFormat } from '../format';
import { FollowUpRulesCard } from './campaigns/FollowUpRulesCard';
import { NewCampaignForm } from './campaigns/NewCampaignForm';

const stateTone = { draft: 'neutral', scheduled: 'info', sending: 'info', done: 'ok', cancelled: 'warn' } as const;

export function Campaigns() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useCall('campaigns.list', {});
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const cancel = async (c: CampaignView): Promise<void> => {
    setError(null);
    try {
      await call('campaigns.cancel', { id: c.id });
      list.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.campaigns')}</h2>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)} data-testid="campaign-new">
            {t('campaigns.new')}
          </button>
        )}
      </div>
      <p className="subtitle">{t('campaigns.intro')}</p>
      {creating && (
        <NewCampaignForm
          onDone={() => {
            setCreating(false);
            list.reload();
          }}
        />
      )}
      <div className="card flush">
        <table className="table" data-testid="campaign-list">
          <thead>
            <tr>
              <th>{t('campaigns.name')}</th>
              <th>{t('campaigns.state')}</th>
              <th>{t('campaigns.when')}</th>
              <th>{t('campaigns.metrics.targeted')}</th>
              <th>{t('campaigns.metrics.excluded')}</th>
              <th>{t('campaigns.metrics.sent')}</th>
              <th>{t('campaigns.metrics.delivered')}</th>
              <th>{t('campaigns.metrics.read')}</th>
              <th>{t('campaigns.metrics.replied')}</th>
              <th>{t('campaigns.metrics.failed')}</th>
              <th>{t('campaigns.createdBy')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((c) => {
              const m = c.metrics;
              const excluded = m.excluded.no_consent + m.excluded.opted_out + m.excluded.no_phone;
              return (
                <tr key={c.id} data-testid={`campaign-row-${c.id}`}>
                  <td>{c.name}</td>
                  <td>
                    <Chip tone={stateTone[c.state]}>{t(`campaigns.states.${c.state}`)}</Chip>
                  </td>
                  <td className="nowrap">{c.scheduledAt ? f.dateTime(c.scheduledAt) : t('common.none')}</td>
                  <td data-testid="campaign-targeted">{f.number(m.targeted)}</td>
                  <td
                    title={t('campaigns.excludedDetail', {
                      no_consent: m.excluded.no_consent,
                      opted_out: m.excluded.opted_out,
                      no_phone: m.excluded.no_phone,
                    })}
                    data-testid="campaign-excluded-count"
                  >
                    {f.number(excluded)}
                  </td>
                  <td data-testid="campaign-sent">{f.number(m.sent)}</td>
                  <td>{f.number(m.delivered)}</td>
                  <td>{f.number(m.read)}</td>
                  <td>{f.number(m.replied)}</td>
                  <td>{f.number(m.failed)}</td>
                  <td data-testid="campaign-created-by">
                    {c.createdByPersonId !== null ? c.createdBy : t(`consentHistory.actors.${c.createdBy}`, { defaultValue: c.createdBy })}
                  </td>
                  <td className="actions">
                    {(c.state === 'draft' || c.state === 'scheduled' || c.state === 'sending') && (
                      <button type="button" className="secondary small" onClick={() => void cancel(c)}>
                        {t('campaigns.cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.data?.length === 0 && <p className="empty">{t('campaigns.empty')}</p>}
        <ErrorNote error={error ?? list.error} />
      </div>
      <FollowUpRulesCard />
    </div>
  );
}
