// A small clinic store built through the real outbox with a hand-driven clock, and an independent recount of the
// Panel's figures straight from the raw tables (JavaScript over every row, luxon for the clinic's calendar).
import { DateTime } from 'luxon';
import type { ChannelId, MedianRange, MessageKind, MessageState, PanelQuery } from '../../src/shared/domain';
import { eventBus } from '../../src/main/core/events';
import { createOutbox, type Outbox } from '../../src/main/core/outbox/outbox';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { insertPatient } from '../../src/main/core/store/patients-repo';
import { LATENCY_BOUNDS_MS } from '../../src/main/core/store/migrations/006-panel';
import { tempDir } from '../helpers/temp';

export const ZONE = 'America/Lima';

export interface Clinic {
  db: Db;
  outbox: Outbox;
  clock: { now: number };
  siteA: number;
  siteB: number;
  serviceX: number;
  serviceY: number;
  patient: number;
}

export function openClinic(): Clinic {
  const db = openDatabase(tempDir());
  const clock = { now: Date.parse('2025-02-01T00:00:00Z') };
  const outbox = createOutbox(db, eventBus(), () => clock.now, () => 'es');
  const siteA = insertSite(db, { name: 'Sede Centro', country: 'PE', timeZone: ZONE }, 0).id;
  const siteB = insertSite(db, { name: 'Sede Norte', country: 'PE', timeZone: ZONE }, 0).id;
  const serviceX = insertService(db, 'Cardiología', 0).id;
  const serviceY = insertService(db, 'Laboratorio', 0).id;
  const patient = insertPatient(
    db,
    {
      firstNames: 'Ana',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '40000001',
      birthDate: null,
      phoneRaw: '+51987654321',
      phoneE164: '+51987654321',
      phoneError: null,
      email: null,
      language: 'es',
      consent: 'opted_in',
      consentSource: 'import',
      consentAt: 0,
      siteId: null,
    },
    0,
  ).id;
  return { db, outbox, clock, siteA, siteB, serviceX, serviceY, patient };
}

let keys = 0;
export function enqueue(
  c: Clinic,
  m: { kind: MessageKind; site: number | null; service: number | null; channel: ChannelId; at: string | number; appointment?: number },
): number {
  const notBefore = typeof m.at === 'number' ? m.at : Date.parse(m.at);
  return c.outbox.enqueue({
    kind: m.kind,
    idempotencyKey: `test:${++keys}`,
    patientId: c.patient,
    siteId: m.site,
    serviceId: m.service,
    appointmentId: m.appointment ?? null,
    resultId: null,
    resendOf: null,
    channel: m.channel,
    toPhone: '+51987654321',
    templateName: null,
    templateParams: [],
    body: 'Hola',
    priority: 5,
    notBefore,
  }).message.id;
}

/** Moves a message at a moment of the clock. */
export function moveAt(c: Clinic, id: number, at: number, to: MessageState, details: Parameters<Outbox['move']>[2] = {}): void {
  c.clock.now = at;
  if (!c.outbox.move(id, to, details)) throw new Error(`message ${id} cannot move to ${to}`);
}

// ---- the independent recount ----

interface RawMessage {
  id: number;
  kind: string;
  site_id: number | null;
  service_id: number | null;
  channel: string;
  state: MessageState;
  not_before: number;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  last_error_code: string | null;
  last_error_reason: string | null;
  replied: number;
}

export function rawMessages(db: Db): RawMessage[] {
  return db
    .prepare('SELECT m.*, EXISTS (SELECT 1 FROM replies r WHERE r.message_id = m.id) AS replied FROM messages m')
    .all() as RawMessage[];
}

export const localDay = (at: number, zone = ZONE) => DateTime.fromMillis(at, { zone }).toISODate() as string;
export const mondayOf = (day: string) => DateTime.fromISO(day, { zone: 'UTC' }).startOf('week').toISODate() as string;

export function bucketOfLatency(ms: number): MedianRange {
  const i = LATENCY_BOUNDS_MS.findIndex((b) => ms < b);
  const at = i === -1 ? LATENCY_BOUNDS_MS.length : i;
  return { fromMs: at === 0 ? 0 : (LATENCY_BOUNDS_MS[at - 1] as number), toMs: LATENCY_BOUNDS_MS[at] ?? null };
}

function lowerMedian(values: number[]): MedianRange | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return bucketOfLatency(sorted[Math.floor((sorted.length - 1) / 2)] as number);
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);

export function recountFigures(rows: RawMessage[]) {
  const count = (s: MessageState) => rows.filter((r) => r.state === s).length;
  const sentRows = rows.filter((r) => ['sent', 'delivered', 'read'].includes(r.state));
  const sent = sentRows.length;
  const delivered = count('delivered') + count('read');
  const replied = rows.filter((r) => r.replied).length;
  return {
    total: rows.length,
    sent,
    delivered,
    read: count('read'),
    replied,
    failed: count('failed'),
    deliveredPct: pct(delivered, sent),
    readPct: pct(count('read'), sent),
    repliedPct: pct(replied, sent),
    medianToDelivery: lowerMedian(
      rows.filter((r) => r.sent_at !== null && r.delivered_at !== null).map((r) => (r.delivered_at as number) - (r.sent_at as number)),
    ),
    medianToRead: lowerMedian(
      rows.filter((r) => r.sent_at !== null && r.read_at !== null).map((r) => (r.read_at as number) - (r.sent_at as number)),
    ),
  };
}

export function recount(db: Db, q: Required<Pick<PanelQuery, 'from' | 'to'>> & PanelQuery, zone = ZONE) {
  const dayOfRow = (r: RawMessage) => localDay(r.sent_at ?? r.not_before, zone);
  const rows = rawMessages(db).filter((r) => {
    const day = dayOfRow(r);
    return (
      day >= q.from &&
      day <= q.to &&
      (q.siteId === undefined || (r.site_id ?? 0) === q.siteId) &&
      (q.serviceId === undefined || (r.service_id ?? 0) === q.serviceId) &&
      (q.kind === undefined || r.kind === q.kind) &&
      (q.channel === undefined || r.channel === q.channel)
    );
  });
  const groupBy = (key: (r: RawMessage) => string) => {
    const groups = new Map<string, RawMessage[]>();
    for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, rs]) => ({ key, ...recountFigures(rs) }));
  };
  const failures = new Map<string, { code: string; reason: string; count: number }>();
  for (const r of rows.filter((r) => r.state === 'failed')) {
    const code = r.last_error_code ?? '';
    const reason = r.last_error_reason ?? '';
    const f = failures.get(`${code}|${reason}`) ?? { code, reason, count: 0 };
    f.count++;
    failures.set(`${code}|${reason}`, f);
  }
  return {
    totals: recountFigures(rows),
    byDay: groupBy(dayOfRow),
    byWeek: groupBy((r) => mondayOf(dayOfRow(r))),
    bySite: groupBy((r) => String(r.site_id ?? 0)),
    byService: groupBy((r) => String(r.service_id ?? 0)),
    byKind: groupBy((r) => r.kind),
    byChannel: groupBy((r) => r.channel),
    failedByReason: [...failures.values()].sort(
      (a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.reason < b.reason ? -1 : 1),
    ),
  };
}
