import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { NavContext } from '../../nav';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChannelId, MedianRange, MessageKind, PanelQuery, PanelReport, PanelRow } from '../../../../shared/domain';
import { useAppStatus } from '../../appStatus';
import { DataTable, type Column } from '../../components/DataTable';
import { useFormat, type Formatters } from '../../format';
import { zoneCity } from '../../zones';

type Breakdown = NonNullable<PanelQuery['breakdown']>;
const breakdowns: Breakdown[] = ['site', 'service', 'kind', 'channel'];

/** "2–3 s", "1–1.5 h", "7 d or more": a median is known to its bucket, and the Panel says so. */
export function medianText(m: MedianRange | null, f: Formatters, w: { none: string; atLeast: (value: string) => string }): string {
  if (!m) return w.none;
  const unit = (ms: number) =>
    ms < 60_000 ? { n: ms / 1000, u: 's' } : ms < 3_600_000 ? { n: ms / 60_000, u: 'min' } : ms < 86_400_000 ? { n: ms / 3_600_000, u: 'h' } : { n: ms / 86_400_000, u: 'd' };
  if (m.toMs === null) return w.atLeast(`${f.number(unit(m.fromMs).n)} ${unit(m.fromMs).u}`);
  const hi = unit(m.toMs);
  const lo = m.fromMs === 0 ? { n: 0, u: hi.u } : unit(m.fromMs);
  return lo.u === hi.u ? `${f.number(lo.n)}–${f.number(hi.n)} ${hi.u}` : `${f.number(lo.n)} ${lo.u}–${f.number(hi.n)} ${hi.u}`;
}

export function PanelView(props: {
  report: PanelReport;
  period: 'day' | 'week';
  onPeriod: (p: 'day' | 'week') => void;
  breakdown: Breakdown;
  onBreakdown: (b: Breakdown) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const r = props.report;
  const s = r.totals;
  const rowLabel = (row: PanelRow): string => {
    if (r.breakdown === 'kind') return t(`kind.${row.key as MessageKind}`);
    if (r.breakdown === 'channel') return t(`channel.${row.key as ChannelId}`);
    return row.key === '0' ? t('panel.unassigned') : row.label;
  };
  const seriesLabel = (key: string) => (r.period === 'week' ? t('panel.weekOf', { day: f.day(key) }) : f.day(key));
  const m = r.reminders;
  const rate = useAppStatus().status.sendRate;
  const incomplete = r.statusGaps.length > 0;
  // Optional: the view is also drawn where there is nowhere to go (a printed report).
  const goTo = useContext(NavContext)?.goTo;
  const words = { none: t('common.none'), atLeast: (value: string) => t('panel.atLeast', { value }) };
  const breakdownColumns = breakdownColumnsOf(t, f, r.breakdown, rowLabel, words);
  const failureColumns = failureColumnsOf(t, f);
  return (
    <>
      <div className="tiles">
        <Tile testId="panel-sent" label={t('panel.sent')} value={f.number(s.sent)} note={t('panel.ofTotal', { total: f.number(s.total) })} />
        {/* Without webhooks for a while, delivered and read are unknown there, not zero: the tiles say so. */}
        <Tile testId="panel-delivered" label={t('panel.delivered')} value={f.percent(s.deliveredPct)} note={incomplete ? t('panel.incomplete') : t('panel.ofSent')} tone={incomplete ? 'warn' : undefined} />
        <Tile testId="panel-read" label={t('panel.read')} value={f.percent(s.readPct)} note={incomplete ? t('panel.incomplete') : t('panel.ofSent')} tone={incomplete ? 'warn' : undefined} />
        <Tile testId="panel-replied" label={t('panel.replied')} value={f.percent(s.repliedPct)} note={t('panel.ofSent')} />
        <Tile
          testId="panel-failed"
          label={t('panel.failed')}
          value={f.number(s.failed)}
          note={t('panel.expiredNote', { n: f.number(s.byState.expired) })}
          tone={s.failed > 0 ? 'bad' : undefined}
          onOpen={s.failed > 0 && goTo ? () => goTo({ page: 'messages', messageState: 'failed' }) : undefined}
          openLabel={t('panel.openFailures')}
        />
        <Tile testId="panel-median-delivery" label={t('panel.medianToDelivery')} value={medianText(s.medianToDelivery, f, words)} note={t('panel.medianNote')} />
        <Tile testId="panel-median-read" label={t('panel.medianToRead')} value={medianText(s.medianToRead, f, words)} note={t('panel.medianNote')} />
        {rate && (
          <Tile
            testId="panel-send-rate"
            label={t('panel.sendRate')}
            value={t('panel.perSecond', { n: f.number(rate.perSecond) })}
            note={t('panel.sendRateNote', { pace: f.number(rate.pace), ms: f.number(rate.latencyMs), inFlight: f.number(rate.inFlight) })}
          />
        )}
      </div>

      {incomplete && (
        <p className="banner banner-warn" data-testid="panel-incomplete">
          {t('panel.incompleteNote', {
            periods: r.statusGaps.map((g) => `${f.moment(g.from)} – ${f.moment(g.to)}`).join('; '),
          })}
        </p>
      )}

      <section className="card">
        <div className="card-head">
          <h3>{r.period === 'week' ? t('panel.byWeek') : t('panel.byDay')}</h3>
          {/* One site's days end at its own midnight, the chain's at the clinic's: say whose clock the chart follows. */}
          <small className="hint" data-testid="panel-zone">
            {t(r.filters.siteId ? 'panel.zoneNoteSite' : 'panel.zoneNote', { zone: r.timeZone, city: zoneCity(r.timeZone) })}
          </small>
          <label className="inline-field">
            <span>{t('panel.period')}</span>
            <select data-testid="panel-period" value={props.period} onChange={(e) => props.onPeriod(e.target.value as 'day' | 'week')}>
              <option value="day">{t('panel.periodDay')}</option>
              <option value="week">{t('panel.periodWeek')}</option>
            </select>
          </label>
        </div>
        {s.total === 0 ? (
          <p className="muted">{t('panel.noData')}</p>
        ) : (
          <div className="chart" data-testid="panel-series-chart">
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={r.series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" vertical={false} />
                <XAxis dataKey="key" tickFormatter={seriesLabel} tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={(n: number) => f.number(n)} />
                <Tooltip labelFormatter={(k) => seriesLabel(String(k))} formatter={(v) => (typeof v === 'number' ? f.number(v) : String(v))} />
                <Legend itemSorter={null} />
                <Bar dataKey="sent" name={t('panel.sent')} fill="#7aa7c7" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="delivered" name={t('state.delivered')} fill="#4f9d8a" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="read" name={t('state.read')} fill="#2f6f5e" maxBarSize={28} radius={[3, 3, 0, 0]} />
                <Bar dataKey="failed" name={t('state.failed')} fill="#d16d5b" maxBarSize={28} radius={[3, 3, 0, 0]} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <section className="card">
        <div className="card-head">
          <h3>{t('panel.breakdownTitle')}</h3>
          <label className="inline-field">
            <span>{t('panel.breakdownBy')}</span>
            <select data-testid="panel-breakdown" value={props.breakdown} onChange={(e) => props.onBreakdown(e.target.value as Breakdown)}>
              {breakdowns.map((b) => (
                <option key={b} value={b}>
                  {t(`panel.${b}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {r.breakdownRows.length === 0 ? (
          <p className="muted">{t('panel.noData')}</p>
        ) : (
          <>
            <div className="chart">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={r.breakdownRows.map((row) => ({ ...row, name: rowLabel(row) }))} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" vertical={false} />
                  <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                  <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} tickFormatter={(n: number) => `${n}%`} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? f.percent(v) : String(v))} />
                  <Legend itemSorter={null} />
                  <Bar dataKey="deliveredPct" name={t('panel.delivered')} fill="#4f9d8a" maxBarSize={28} />
                  <Bar dataKey="readPct" name={t('panel.read')} fill="#2f6f5e" maxBarSize={28} />
                  <Bar dataKey="repliedPct" name={t('panel.replied')} fill="#c9a24a" maxBarSize={28} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            {/* Eight columns do not fit a narrow window: the table scrolls inside its card, not the page. */}
            <DataTable
              framed={false}
              testId="panel-breakdown-table"
              columns={breakdownColumns}
              rows={r.breakdownRows}
              rowKey={(row) => row.key}
            />
          </>
        )}
      </section>

      <section className="card" data-testid="panel-reminders">
        <h3>{t('panel.remindersTitle')}</h3>
        <div className="tiles">
          <Tile
            testId="panel-confirmation"
            label={t('panel.confirmation')}
            value={f.percent(m.confirmationPct)}
            note={t('panel.confirmationNote', { confirmed: f.number(m.confirmed), reminded: f.number(m.reminded) })}
          />
          <Tile
            testId="panel-noshow-confirmed"
            label={t('panel.noShowConfirmed')}
            value={f.percent(m.withConfirmedReminder.pct)}
            note={t('panel.noShowNote', { n: f.number(m.withConfirmedReminder.noShows), of: f.number(m.withConfirmedReminder.appointments) })}
          />
          <Tile
            testId="panel-noshow-unconfirmed"
            label={t('panel.noShowUnconfirmed')}
            value={f.percent(m.withoutConfirmedReminder.pct)}
            note={t('panel.noShowNote', { n: f.number(m.withoutConfirmedReminder.noShows), of: f.number(m.withoutConfirmedReminder.appointments) })}
          />
        </div>
      </section>

      <section className="card">
        <h3>{t('panel.failedByReason')}</h3>
        {r.failedByReason.length === 0 ? (
          <p className="muted">{t('panel.noFailures')}</p>
        ) : (
          <DataTable
            framed={false}
            testId="panel-failures"
            columns={failureColumns}
            rows={r.failedByReason}
            rowKey={(row) => row.code + row.reason}
          />
        )}
      </section>
    </>
  );
}

type Words = Parameters<typeof medianText>[2];

/** A figure's column: right-aligned, header included, so the numbers line up under it. */
function figure<Row>(key: string, header: string, cell: (row: Row) => string): Column<Row> {
  return { key, header, cell, className: 'num', headerClassName: 'num' };
}

/** Each site, service, kind or channel: how much went, arrived, was read and answered, and how fast. */
function breakdownColumnsOf(
  t: TFunction,
  f: Formatters,
  breakdown: Breakdown,
  rowLabel: (row: PanelRow) => string,
  words: Words,
): Column<PanelRow>[] {
  return [
    { key: 'label', header: t(`panel.${breakdown}`), cell: rowLabel },
    figure('sent', t('panel.sent'), (row: PanelRow) => f.number(row.sent)),
    figure('delivered', t('panel.delivered'), (row: PanelRow) => f.percent(row.deliveredPct)),
    figure('read', t('panel.read'), (row: PanelRow) => f.percent(row.readPct)),
    figure('replied', t('panel.replied'), (row: PanelRow) => f.percent(row.repliedPct)),
    figure('failed', t('panel.failed'), (row: PanelRow) => f.number(row.failed)),
    figure('toDelivery', t('panel.medianToDelivery'), (row: PanelRow) => medianText(row.medianToDelivery, f, words)),
    figure('toRead', t('panel.medianToRead'), (row: PanelRow) => medianText(row.medianToRead, f, words)),
  ];
}

type FailureRow = PanelReport['failedByReason'][number];

function failureColumnsOf(t: TFunction, f: Formatters): Column<FailureRow>[] {
  return [
    {
      key: 'reason',
      header: t('panel.reason'),
      cell: (row) => (
        <>
          {row.reason}
          {/* The provider's code is for whoever helps the clinic: a details line, not the reason. */}
          <div className="details-line">{t('detail.codeLine', { code: row.code })}</div>
        </>
      ),
    },
    figure('count', t('panel.count'), (row: FailureRow) => f.number(row.count)),
  ];
}

function Tile(props: {
  testId: string;
  label: string;
  value: string;
  note: string;
  tone?: 'bad' | 'warn';
  onOpen?: () => void;
  openLabel?: string;
}) {
  const body = (
    <>
      <div className="tile-label">{props.label}</div>
      <div className="tile-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </div>
      <div className="tile-note">{props.note}</div>
    </>
  );
  const className = `tile ${props.tone ? `tile-${props.tone}` : ''}`;
  // A tile that leads somewhere is a button: the failures open in Mensajes, where each one can be fixed.
  return props.onOpen ? (
    <button type="button" className={`${className} tile-link`} data-testid={props.testId} onClick={props.onOpen} title={props.openLabel}>
      {body}
    </button>
  ) : (
    <div className={className} data-testid={props.testId} data-incomplete={props.tone === 'warn' ? 'true' : undefined}>
      {body}
    </div>
  );
}
