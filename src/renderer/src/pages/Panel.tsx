import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelId, MessageKind, PanelQuery } from '../../../shared/domain';
import { call, toApiError, type ApiError } from '../api/client';
import { useCall } from '../api/hooks';
import { ErrorNote } from '../components/ErrorNote';
import { addDays, todayIn } from '../format';
import { PanelView } from './panel/PanelView';

const DEFAULT_DAYS = 7;
const kinds: MessageKind[] = ['result', 'reminder', 'document', 'campaign', 'followup', 'manual'];
const channels: ChannelId[] = ['demo', 'cloud-api', 'linked-device', 'email'];
type Breakdown = NonNullable<PanelQuery['breakdown']>;

/** Delivery, reading and replies for a date range (clinic days, the last one included), filtered and broken down. */
export function Panel() {
  const { t } = useTranslation();
  const [to, setTo] = useState(() => todayIn());
  const [from, setFrom] = useState(() => addDays(todayIn(), -(DEFAULT_DAYS - 1)));
  const [siteId, setSiteId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [kind, setKind] = useState('');
  const [channel, setChannel] = useState('');
  const [period, setPeriod] = useState<'day' | 'week'>('day');
  const [breakdown, setBreakdown] = useState<Breakdown>('kind');
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const sites = useCall('sites.list', {}, false);
  const services = useCall('services.list', {}, false);
  const range = from <= to ? { from, to } : { from: to, to: from };
  const query: PanelQuery = {
    ...range,
    ...(siteId ? { siteId: Number(siteId) } : {}),
    ...(serviceId ? { serviceId: Number(serviceId) } : {}),
    ...(kind ? { kind: kind as MessageKind } : {}),
    ...(channel ? { channel: channel as ChannelId } : {}),
    period,
    breakdown,
  };
  const summary = useCall('panel.summary', query);

  const exportCsv = async () => {
    setExportError(null);
    try {
      const { filename, csv } = await call('panel.csv', query);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(toApiError(e));
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.panel')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('panel.from')}</span>
            <input data-testid="panel-from" type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label className="inline-field">
            <span>{t('panel.to')}</span>
            <input data-testid="panel-to" type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
          <label className="inline-field">
            <span>{t('panel.site')}</span>
            <select data-testid="panel-site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              <option value="">{t('common.all')}</option>
              {sites.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('panel.service')}</span>
            <select data-testid="panel-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
              <option value="">{t('common.all')}</option>
              {services.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('panel.kind')}</span>
            <select data-testid="panel-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">{t('common.all')}</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('panel.channel')}</span>
            <select data-testid="panel-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">{t('common.all')}</option>
              {channels.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" data-testid="panel-export" onClick={() => void exportCsv()}>
            {t('panel.exportCsv')}
          </button>
        </div>
      </div>
      <ErrorNote error={summary.error} onRetry={summary.reload} retryLabel={t('common.retry')} />
      <ErrorNote error={exportError} onRetry={() => void exportCsv()} retryLabel={t('common.retry')} />
      {summary.data ? (
        <PanelView
          report={summary.data}
          period={period}
          onPeriod={setPeriod}
          breakdown={breakdown}
          onBreakdown={setBreakdown}
        />
      ) : (
        !summary.error && <p className="muted">{t('common.loading')}</p>
      )}
    </div>
  );
}
