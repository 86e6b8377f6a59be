import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CampaignView } from '../../../shared/campaigns';
import { call, toApiError, type ApiError } from '../api/client';
import { useCampaigns } from '../api/resources';
import { Chip } from '../components/Chip';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { useFormat, type Formatters } from '../format';
import { FollowUpRulesCard } from './campaigns/FollowUpRulesCard';
import { NewCampaignForm } from './campaigns/NewCampaignForm';

const stateTone = { draft: 'neutral', scheduled: 'info', sending: 'info', done: 'ok', cancelled: 'warn' } as const;

export function Campaigns() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useCampaigns();
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

  const columns = campaignColumns(t, f, (c) => void cancel(c));

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
      <ErrorNote error={error} />
      <DataTable
        testId="campaign-list"
        columns={columns}
        rows={list.data}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-testid': `campaign-row-${c.id}` })}
        empty={t('campaigns.empty')}
        error={list.error}
        onRetry={list.reload}
      />
      <FollowUpRulesCard />
    </div>
  );
}

const excludedOf = (c: CampaignView): number => c.metrics.excluded.no_consent + c.metrics.excluded.opted_out + c.metrics.excluded.no_phone;

function campaignColumns(t: TFunction, f: Formatters, onCancel: (c: CampaignView) => void): Column<CampaignView>[] {
  const figure = (key: 'targeted' | 'sent' | 'delivered' | 'read' | 'replied' | 'failed', testId?: string): Column<CampaignView> => ({
    key,
    header: t(`campaigns.metrics.${key}`),
    testId,
    cell: (c) => f.number(c.metrics[key]),
  });
  return [
    { key: 'name', header: t('campaigns.name'), cell: (c) => c.name },
    {
      key: 'state',
      header: t('campaigns.state'),
      cell: (c) => <Chip tone={stateTone[c.state]}>{t(`campaigns.states.${c.state}`)}</Chip>,
    },
    {
      key: 'when',
      header: t('campaigns.when'),
      className: 'nowrap',
      cell: (c) => (c.scheduledAt ? f.dateTime(c.scheduledAt) : t('common.none')),
    },
    figure('targeted', 'campaign-targeted'),
    {
      key: 'excluded',
      header: t('campaigns.metrics.excluded'),
      testId: 'campaign-excluded-count',
      cellProps: (c) => ({
        title: t('campaigns.excludedDetail', {
          no_consent: c.metrics.excluded.no_consent,
          opted_out: c.metrics.excluded.opted_out,
          no_phone: c.metrics.excluded.no_phone,
        }),
      }),
      cell: (c) => f.number(excludedOf(c)),
    },
    figure('sent', 'campaign-sent'),
    figure('delivered'),
    figure('read'),
    figure('replied'),
    figure('failed'),
    {
      key: 'createdBy',
      header: t('campaigns.createdBy'),
      testId: 'campaign-created-by',
      // A person's name as written; earlier rows and automation carry a word for who acted.
      cell: (c) => (c.createdByPersonId !== null ? c.createdBy : t(`consentHistory.actors.${c.createdBy}`, { defaultValue: c.createdBy })),
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: (c) =>
        (c.state === 'draft' || c.state === 'scheduled' || c.state === 'sending') && (
          <button type="button" className="secondary small" onClick={() => onCancel(c)}>
            {t('campaigns.cancel')}
          </button>
        ),
    },
  ];
}
