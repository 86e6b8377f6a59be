import type { ChannelId, Language, MedianRange, MessageKind, PanelFigures, PanelReport, PanelRow } from '../../../shared/domain';
import { labelOf } from '../audit/export-words';

// The CSV's own words: a clinic opens it in Excel in its language. Spanish Excel expects ';' between fields and a
// decimal comma; English Excel ',' and a point.
const words = {
  es: {
    panel: 'Panel de mensajes',
    range: 'Fechas',
    zone: 'Zona horaria',
    filters: 'Filtros',
    site: 'Sede',
    service: 'Servicio',
    kind: 'Tipo',
    channel: 'Canal',
    all: 'todos',
    none: 'sin asignar',
    totals: 'Totales',
    day: 'Día',
    week: 'Semana (lunes)',
    key: 'Grupo',
    total: 'Mensajes',
    sent: 'Enviados',
    delivered: 'Entregados',
    deliveredPct: '% entregados',
    read: 'Leídos',
    readPct: '% leídos',
    replied: 'Respondidos',
    repliedPct: '% respondidos',
    failed: 'Fallidos',
    expired: 'Vencidos',
    deliveryFrom: 'Mediana a entrega desde (s)',
    deliveryTo: 'Mediana a entrega hasta (s)',
    readFrom: 'Mediana a lectura desde (s)',
    readTo: 'Mediana a lectura hasta (s)',
    failures: 'Fallos por motivo',
    code: 'Detalle técnico (código)',
    reason: 'Motivo',
    count: 'Cantidad',
    reminders: 'Recordatorios y asistencia',
    figure: 'Indicador',
    value: 'Valor',
    appointments: 'Citas en las fechas',
    reminded: 'Citas con recordatorio enviado',
    confirmed: 'Confirmadas por el paciente',
    confirmationPct: '% de confirmación',
    noShowWith: '% inasistencia con recordatorio confirmado',
    noShowWithout: '% inasistencia sin recordatorio confirmado',
    happenedWith: 'Citas pasadas con recordatorio confirmado',
    happenedWithout: 'Citas pasadas sin recordatorio confirmado',
  },
  en: {
    panel: 'Messages dashboard',
    range: 'Dates',
    zone: 'Time zone',
    filters: 'Filters',
    site: 'Site',
    service: 'Service',
    kind: 'Kind',
    channel: 'Channel',
    all: 'all',
    none: 'unassigned',
    totals: 'Totals',
    day: 'Day',
    week: 'Week (Monday)',
    key: 'Group',
    total: 'Messages',
    sent: 'Sent',
    delivered: 'Delivered',
    deliveredPct: '% delivered',
    read: 'Read',
    readPct: '% read',
    replied: 'Replied',
    repliedPct: '% replied',
    failed: 'Failed',
    expired: 'Expired',
    deliveryFrom: 'Median to delivery from (s)',
    deliveryTo: 'Median to delivery to (s)',
    readFrom: 'Median to read from (s)',
    readTo: 'Median to read to (s)',
    failures: 'Failures by reason',
    code: 'Technical detail (code)',
    reason: 'Reason',
    count: 'Count',
    reminders: 'Reminders and attendance',
    figure: 'Figure',
    value: 'Value',
    appointments: 'Appointments in the dates',
    reminded: 'Appointments with a reminder sent',
    confirmed: 'Confirmed by the patient',
    confirmationPct: '% confirmed',
    noShowWith: '% no-show with a confirmed reminder',
    noShowWithout: '% no-show without a confirmed reminder',
    happenedWith: 'Past appointments with a confirmed reminder',
    happenedWithout: 'Past appointments without a confirmed reminder',
  },
} as const;

const zoneCity = (zone: string): string => (zone.split('/').pop() ?? zone).replace(/_/g, ' ');

/** A field as CSV wants it: quoted when it holds the separator, a quote or a line break. */
function field(value: string | number | null, sep: string, decimal: string): string {
  if (value === null) return '';
  const s = typeof value === 'number' ? String(value).replace('.', decimal) : value;
  // A leading = + - @ would run as a formula in a spreadsheet: a reason text must stay text.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return safe.includes(sep) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ms / 1000);
const medianCells = (m: MedianRange | null) => (m ? [seconds(m.fromMs), seconds(m.toMs)] : [null, null]);

/** The Panel's report as CSV: a header block, then totals, the series, the breakdown, failures and reminders. */
export function panelCsv(
  report: PanelReport,
  language: Language,
  names: { site: (id: number) => string; service: (id: number) => string },
): { filename: string; csv: string } {
  const w = words[language];
  const sep = language === 'es' ? ';' : ',';
  const decimal = language === 'es' ? ',' : '.';
  const lines: string[] = [];
  const line = (...cells: (string | number | null)[]) => lines.push(cells.map((c) => field(c, sep, decimal)).join(sep));
  const figureHeader = [w.total, w.sent, w.delivered, w.deliveredPct, w.read, w.readPct, w.replied, w.repliedPct,
    w.failed, w.expired, w.deliveryFrom, w.deliveryTo, w.readFrom, w.readTo];
  const figureCells = (f: PanelFigures) => [f.total, f.sent, f.delivered, f.deliveredPct, f.read, f.readPct, f.replied,
    f.repliedPct, f.failed, f.byState.expired, ...medianCells(f.medianToDelivery), ...medianCells(f.medianToRead)];
  const { filters } = report;

  line(w.panel);
  line(w.range, report.from, report.to);
  // The clinic's city, as the UI names zones ("Lima"); the zone id only in brackets, for whoever checks the figures.
  line(w.zone, `${zoneCity(report.timeZone)} (${report.timeZone})`);
  line(w.filters, `${w.site}: ${filters.siteId === null ? w.all : names.site(filters.siteId)}`,
    `${w.service}: ${filters.serviceId === null ? w.all : names.service(filters.serviceId)}`,
    `${w.kind}: ${filters.kind ? labelOf.kind(filters.kind, language) : w.all}`,
    `${w.channel}: ${filters.channel ? labelOf.channel(filters.channel, language) : w.all}`);
  lines.push('');
  line(w.totals, ...figureHeader);
  line('', ...figureCells(report.totals));
  lines.push('');
  line(report.period === 'week' ? w.week : w.day, ...figureHeader);
  for (const r of report.series) line(r.key, ...figureCells(r));
  lines.push('');
  const label = (r: PanelRow): string => {
    // Kinds and channels are codes in the database: the file says them in words.
    if (report.breakdown === 'kind') return labelOf.kind(r.key as MessageKind, language);
    if (report.breakdown === 'channel') return labelOf.channel(r.key as ChannelId, language);
    return r.key === '0' ? w.none : r.label;
  };
  line(w[report.breakdown], ...figureHeader);
  for (const r of report.breakdownRows) line(label(r), ...figureCells(r));
  lines.push('');
  // The reason in words first; the provider's code last, as a detail for whoever helps the clinic.
  line(w.failures, w.reason, w.count, w.code);
  for (const f of report.failedByReason) line('', f.reason, f.count, f.code);
  lines.push('');
  const m = report.reminders;
  line(w.reminders, w.figure, w.value);
  line('', w.appointments, m.appointments);
  line('', w.reminded, m.reminded);
  line('', w.confirmed, m.confirmed);
  line('', w.confirmationPct, m.confirmationPct);
  line('', w.happenedWith, m.withConfirmedReminder.appointments);
  line('', w.noShowWith, m.withConfirmedReminder.pct);
  line('', w.happenedWithout, m.withoutConfirmedReminder.appointments);
  line('', w.noShowWithout, m.withoutConfirmedReminder.pct);
  // BOM: Excel otherwise reads UTF-8 as Latin-1 and the accents come out garbled.
  return { filename: `avisa-panel-${report.from}-${report.to}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n` };
}
