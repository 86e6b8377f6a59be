import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PanelSummary } from '../../../shared/domain';
import { useCall } from '../api/hooks';
import { ErrorNote } from '../components/ErrorNote';
import { addDays, startOfDay, todayIn, useFormat } from '../format';

const DEFAULT_DAYS = 7;
// Beyond this a bar per day is unreadable; the core's own days are still all shown.
const MAX_CHART_DAYS = 92;

/** Counts for a date range, on this computer's calendar days (the last day included). */
export function Panel() {
  const { t } = useTranslation();
  const [to, setTo] = useState(() => todayIn());
  const [from, setFrom] = useState(() => addDays(todayIn(), -(DEFAULT_DAYS - 1)));
  const range = from <= to ? { from, to } : { from: to, to: from };
  const summary = useCall('panel.summary', {
    from: startOfDay(range.from),
    to: startOfDay(addDays(range.to, 1)),
  });

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.panel')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('panel.from')}</span>
            <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label className="inline-field">
            <span>{t('panel.to')}</span>
            <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
        </div>
      </div>
      <ErrorNote error={summary.error} onRetry={summary.reload} retryLabel={t('common.retry')} />
      {summary.data ? (
        <SummaryView s={summary.data} days={daysBetween(range.from, range.to)} />
      ) : (
        !summary.error && <p className="muted">{t('common.loading')}</p>
      )}
    </div>
  );
}

type DayRow = PanelSummary['byDay'][number];

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length < MAX_CHART_DAYS; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Days without messages are absent from byDay; the chart shows them as zero so gaps read as quiet days. */
function withEmptyDays(byDay: DayRow[], days: string[]): DayRow[] {
  const known = new Map(byDay.map((d) => [d.day, d]));
  const merged = days.map((day) => known.get(day) ?? { day, sent: 0, delivered: 0, read: 0, failed: 0 });
  const extra = byDay.filter((d) => !days.includes(d.day));
  return [...merged, ...extra].sort((a, b) => a.day.localeCompare(b.day));
}

function SummaryView({ s, days }: { s: PanelSummary; days: string[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const chartData = withEmptyDays(s.byDay, days);
  const failed = s.byState.failed;
  return (
    <>
      <div className="tiles">
        <Tile testId="panel-sent" label={t('panel.sent')} value={f.number(s.sent)} note={t('panel.ofTotal', { total: f.number(s.total) })} />
        <Tile testId="panel-delivered" label={t('panel.delivered')} value={f.percent(s.deliveredPct)} note={t('panel.ofSent')} />
        <Tile testId="panel-read" label={t('panel.read')} value={f.percent(s.readPct)} note={t('panel.ofSent')} />
        <Tile testId="panel-replied" label={t('panel.replied')} value={f.percent(s.repliedPct)} note={t('panel.ofSent')} />
        <Tile
          testId="panel-failed"
          label={t('panel.failed')}
          value={f.number(failed)}
          note={t('panel.expiredNote', { n: f.number(s.byState.expired) })}
          tone={failed > 0 ? 'bad' : undefined}
        />
      </div>

      <section className="card">
        <h3>{t('panel.byDay')}</h3>
        {s.total === 0 ? (
          <p className="muted">{t('panel.noData')}</p>
        ) : (
          <div className="chart">
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(d: string) => f.day(d)} tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={(n: number) => f.number(n)} />
                <Tooltip
                  labelFormatter={(d) => f.day(String(d), 'long')}
                  formatter={(value) => (typeof value === 'number' ? f.number(value) : String(value))}
                />
                <Legend itemSorter={null} />
                <Bar dataKey="sent" name={t('state.sent')} fill="#7aa7c7" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="delivered" name={t('state.delivered')} fill="#4f9d8a" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="read" name={t('state.read')} fill="#2f6f5e" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="failed" name={t('state.failed')} fill="#d16d5b" maxBarSize={28} radius={[3, 3, 0, 0]} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <section className="card">
        <h3>{t('panel.failedByReason')}</h3>
        {s.failedByReason.length === 0 ? (
          <p className="muted">{t('panel.noFailures')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('panel.reason')}</th>
                <th>{t('panel.code')}</th>
                <th className="num">{t('panel.count')}</th>
              </tr>
            </thead>
            <tbody>
              {s.failedByReason.map((r) => (
                <tr key={r.code + r.reason}>
                  <td>{r.reason}</td>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td className="num">{f.number(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function Tile(props: { testId: string; label: string; value: string; note: string; tone?: 'bad' }) {
  return (
    <div className={`tile ${props.tone ? `tile-${props.tone}` : ''}`} data-testid={props.testId}>
      <div className="tile-label">{props.label}</div>
      <div className="tile-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </div>
      <div className="tile-note">{props.note}</div>
    </div>
  );
}
