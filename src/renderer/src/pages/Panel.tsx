import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelId, MessageKind, PanelQuery } from '../../../shared/domain';
import { call } from '../api/client';
import { useCall } from '../api/hooks';
import { usePanelSummary } from '../api/resources';
import { ErrorNote } from '../components/ErrorNote';
import { useFormAction } from '../components/useFormAction';
import { addDays, todayIn } from '../format';
import { MESSAGE_KINDS } from '../kinds';
import { PanelView } from './panel/PanelView';

const DEFAULT_DAYS = 7;
const channels: ChannelId[] = ['demo', 'cloud-api', 'linked-device', 'email'];
type Breakdown = NonNullable<PanelQuery['breakdown']>;

/** What the Panel shows: clinic days from and to (the last included), '' for "Todos", and how it is cut. */
interface Filters {
  from: string;
  to: string;
  siteId: string;
  serviceId: string;
  kind: string;
  channel: string;
  period: 'day' | 'week';
  breakdown: Breakdown;
}

/** The last week, every site, service, kind and channel, by day and by kind. */
function initialFilters(): Filters {
  const today = todayIn();
  return {
    from: addDays(today, -(DEFAULT_DAYS - 1)),
    to: today,
    siteId: '',
    serviceId: '',
    kind: '',
    channel: '',
    period: 'day',
    breakdown: 'kind',
  };
}

/** Delivery, reading and replies for a date range (clinic days, the last one included), filtered and broken down. */
export function Panel() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState(initialFilters);
  // One setter per filter, for the field that changes it.
  const set =
    <K extends keyof Filters>(key: K) =>
    (value: Filters[K]): void =>
      setFilters((current) => ({ ...current, [key]: value }));
  const { from, to, siteId, serviceId, kind, channel, period, breakdown } = filters;
  const exporting = useFormAction();
  const sites = useCall('sites.list', {});
  const services = useCall('services.list', {});
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

  const exportCsv = async (): Promise<void> => {
    const file = await exporting.run(() => call('panel.csv', query));
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.panel')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('panel.from')}</span>
            <input data-testid="panel-from" type="date" value={from} max={to} onChange={(e) => e.target.value && set('from')(e.target.value)} />
          </label>
          <label className="inline-field">
            <span>{t('panel.to')}</span>
            <input data-testid="panel-to" type="date" value={to} min={from} onChange={(e) => e.target.value && set('to')(e.target.value)} />
          </label>
          <FilterSelect
            label={t('panel.site')}
            testId="panel-site"
            value={siteId}
            onChange={set('siteId')}
            options={(sites.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          />
          <FilterSelect
            label={t('panel.service')}
            testId="panel-service"
            value={serviceId}
            onChange={set('serviceId')}
            options={(services.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          />
          <FilterSelect
            label={t('panel.kind')}
            testId="panel-kind"
            value={kind}
            onChange={set('kind')}
            options={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
          <FilterSelect
            label={t('panel.channel')}
            testId="panel-channel"
            value={channel}
            onChange={set('channel')}
            options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
          <button type="button" className="secondary" data-testid="panel-export" onClick={() => void exportCsv()}>
            {t('panel.exportCsv')}
          </button>
        </div>
      </div>
      <ErrorNote error={summary.error} onRetry={summary.reload} retryLabel={t('common.retry')} />
      <ErrorNote error={exporting.error} onRetry={() => void exportCsv()} retryLabel={t('common.retry')} />
      {summary.data ? (
        <PanelView
          report={summary.data}
          period={period}
          onPeriod={set('period')}
          breakdown={breakdown}
          onBreakdown={set('breakdown')}
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
