import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelId, MessageKind, PanelQuery } from '../../../shared/domain';
import { call, toApiError, type ApiError } from '../api/client';
import { useCall } from '../api/hooks';
import { usePanelSummary } from '../api/resources';
import { ErrorNote } from '../components/ErrorNote';
import { addDays, todayIn } from '../format';
import { MESSAGE_KINDS } from '../kinds';
import { PanelView } from './panel/PanelView';

const DEFAULT_DAYS = 7;
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
  const summary = usePanelSummary(query);

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
          <FilterSelect
            label={t('panel.site')}
            testId="panel-site"
            value={siteId}
            onChange={setSiteId}
            options={(sites.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          />
          <FilterSelect
            label={t('panel.service')}
            testId="panel-service"
            value={serviceId}
            onChange={setServiceId}
            options={(services.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          />
          <FilterSelect
            label={t('panel.kind')}
            testId="panel-kind"
            value={kind}
            onChange={setKind}
            options={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
          <FilterSelect
            label={t('panel.channel')}
            testId="panel-channel"
            value={channel}
            onChange={setChannel}
            options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
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

/** One of the Panel's filters: "Todos" or one value. */
function FilterSelect(p: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  return (
    <label className="inline-field">
      <span>{p.label}</span>
      <select data-testid={p.testId} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        <option value="">{t('common.all')}</option>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
