import { describe, expect, it } from 'vitest';
import type { PanelFigures, PanelQuery, PanelRow } from '../../src/shared/domain';
import { syncPanelClock } from '../../src/main/core/metrics/clinic-clock';
import { panelReport } from '../../src/main/core/metrics/panel';
import { panelCsv } from '../../src/main/core/metrics/panel-csv';
import { panelRollupRows, rebuildPanelRollups } from '../../src/main/core/store/panel-repo';
import { enqueue, moveAt, openClinic, recount, ZONE, type Clinic } from './seed';

const at = (iso: string) => Date.parse(iso);
const S = 1000;

/**
 * Eight messages and five appointments with known answers. Lima is UTC-5 all year: the first reminder went out on
 * Monday 3 March at 03:00 UTC, which is still Sunday 2 March in the clinic, in the week that began on 24 February.
 */
function seedKnownClinic(): Clinic & { appointments: number[] } {
  const c = openClinic();
  syncPanelClock(c.db, ZONE);
  const { db, siteA, siteB, serviceX, serviceY } = c;
  const appointment = (startsAt: string, status: string, site = siteA) =>
    Number(
      db
        .prepare(
          `INSERT INTO appointments (site_id, service_id, patient_id, starts_at, status, source, source_key, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'test', ?, 0, 0)`,
        )
        .run(site, serviceX, c.patient, at(startsAt), status, `a:${startsAt}`).lastInsertRowid,
    );
  const confirm = (appointmentId: number, startsAt: string) =>
    db
      .prepare(`INSERT INTO appointment_answers (appointment_id, answer, starts_at, at) VALUES (?, 'confirmed', ?, 0)`)
      .run(appointmentId, at(startsAt));
  const a1 = appointment('2025-03-04T14:00:00Z', 'attended');
  const a2 = appointment('2025-03-04T15:00:00Z', 'no_show');
  const a3 = appointment('2025-03-05T15:00:00Z', 'no_show');
  const a4 = appointment('2025-03-06T15:00:00Z', 'no_show');
  const a5 = appointment('2025-03-06T16:00:00Z', 'cancelled', siteB);
  // Outside the dates: must not count.
  appointment('2025-03-10T15:00:00Z', 'no_show');
  confirm(a1, '2025-03-04T14:00:00Z');
  confirm(a4, '2025-03-06T15:00:00Z');
  // A confirmation for an earlier time of a2 (it was rescheduled since): says nothing about the new time.
  confirm(a2, '2025-03-03T15:00:00Z');

  let provider = 0;
  const send = (id: number, t: number) => {
    moveAt(c, id, t - 500, 'sending');
    moveAt(c, id, t, 'sent', { providerId: `wamid.${++provider}` });
  };
  // m1: reminder, delivered in 2.5 s, read after 150 s.
  const m1 = enqueue(c, { kind: 'reminder', site: siteA, service: serviceX, channel: 'demo', at: '2025-03-03T02:00:00Z', appointment: a1 });
  send(m1, at('2025-03-03T03:00:00Z'));
  moveAt(c, m1, at('2025-03-03T03:00:00Z') + 2.5 * S, 'delivered');
  moveAt(c, m1, at('2025-03-03T03:00:00Z') + 150 * S, 'read');
  // m2: reminder, delivered in 4 s, answered.
  const m2 = enqueue(c, { kind: 'reminder', site: siteA, service: serviceX, channel: 'demo', at: '2025-03-03T06:00:00Z', appointment: a2 });
  send(m2, at('2025-03-03T06:00:00Z'));
  moveAt(c, m2, at('2025-03-03T06:00:00Z') + 4 * S, 'delivered');
  c.outbox.recordReply({ providerMessageId: 'in.1', fromPhone: '+51987654321', body: 'SI', at: at('2025-03-03T07:00:00Z'), inReplyTo: 'wamid.2' });
  c.outbox.recordReply({ providerMessageId: 'in.2', fromPhone: '+51987654321', body: 'gracias', at: at('2025-03-03T07:01:00Z'), inReplyTo: 'wamid.2' });
  // m3: result, delivered in 12 s, read after 400 s.
  const m3 = enqueue(c, { kind: 'result', site: siteB, service: serviceY, channel: 'cloud-api', at: '2025-03-04T15:00:00Z' });
  send(m3, at('2025-03-04T15:00:00Z'));
  moveAt(c, m3, at('2025-03-04T15:00:12Z'), 'delivered');
  moveAt(c, m3, at('2025-03-04T15:06:40Z'), 'read');
  // m4: result, refused before it was ever sent.
  const m4 = enqueue(c, { kind: 'result', site: siteB, service: serviceY, channel: 'cloud-api', at: '2025-03-04T16:00:00Z' });
  moveAt(c, m4, at('2025-03-04T16:00:00Z'), 'sending');
  moveAt(c, m4, at('2025-03-04T16:00:01Z'), 'failed', { errorCode: '131026', errorReason: 'El número no tiene WhatsApp.' });
  // m5: campaign, accepted, then failed.
  const m5 = enqueue(c, { kind: 'campaign', site: siteA, service: serviceY, channel: 'cloud-api', at: '2025-03-05T12:00:00Z' });
  send(m5, at('2025-03-05T12:00:00Z'));
  moveAt(c, m5, at('2025-03-05T12:00:30Z'), 'failed', { errorCode: '131049', errorReason: 'Meta limitó los mensajes de marketing.' });
  // m6: manual, no site or service, still queued.
  enqueue(c, { kind: 'manual', site: null, service: null, channel: 'demo', at: '2025-03-05T20:00:00Z' });
  // m7: reminder that expired while the app was off (Sunday 2 March, 05:00 in Lima).
  const m7 = enqueue(c, { kind: 'reminder', site: siteA, service: serviceX, channel: 'demo', at: '2025-03-02T10:00:00Z', appointment: a3 });
  moveAt(c, m7, at('2025-03-02T11:00:00Z'), 'expired');
  // m8: reminder delivered in 1.5 s.
  const m8 = enqueue(c, { kind: 'reminder', site: siteA, service: serviceX, channel: 'demo', at: '2025-03-05T14:00:00Z', appointment: a4 });
  send(m8, at('2025-03-05T14:00:00Z'));
  moveAt(c, m8, at('2025-03-05T14:00:01.500Z'), 'delivered');
  return { ...c, appointments: [a1, a2, a3, a4, a5] };
}

const week = { from: '2025-03-01', to: '2025-03-07' };
const ctx = { timeZone: ZONE, now: at('2025-03-07T12:00:00Z') };
const figures = (f: PanelFigures) => ({
  total: f.total,
  sent: f.sent,
  delivered: f.delivered,
  read: f.read,
  replied: f.replied,
  failed: f.failed,
  deliveredPct: f.deliveredPct,
  readPct: f.readPct,
  repliedPct: f.repliedPct,
  medianToDelivery: f.medianToDelivery,
  medianToRead: f.medianToRead,
});
const rows = (rs: PanelRow[]) => rs.map((r) => ({ key: r.key, ...figures(r) }));

describe('Panel figures over a seeded store', () => {
  it('count, rate and take medians exactly as the messages say', () => {
    const c = seedKnownClinic();
    const r = panelReport(c.db, week, ctx);
    expect(figures(r.totals)).toEqual({
      total: 8,
      sent: 4,
      delivered: 4,
      read: 2,
      replied: 1,
      failed: 2,
      deliveredPct: 100,
      readPct: 50,
      repliedPct: 25,
      // Latencies 1.5, 2.5, 4 and 12 s: the lower median is 2.5 s, in the bucket 2–3 s.
      medianToDelivery: { fromMs: 2000, toMs: 3000 },
      // 150 and 400 s: 150 s, in the bucket 2–3 min.
      medianToRead: { fromMs: 120_000, toMs: 180_000 },
    });
    expect(r.totals.byState).toMatchObject({ queued: 1, expired: 1, failed: 2, delivered: 2, read: 2, sent: 0 });
    expect(r.failedByReason).toEqual([
      { code: '131026', reason: 'El número no tiene WhatsApp.', count: 1 },
      { code: '131049', reason: 'Meta limitó los mensajes de marketing.', count: 1 },
    ]);
  });

  it('split days and weeks at the clinic’s midnight, not at UTC’s', () => {
    const c = seedKnownClinic();
    const byDay = panelReport(c.db, { ...week, period: 'day' }, ctx).series;
    expect(byDay.map((d) => [d.key, d.total, d.sent])).toEqual([
      ['2025-03-02', 2, 1],
      ['2025-03-03', 1, 1],
      ['2025-03-04', 2, 1],
      ['2025-03-05', 3, 1],
    ]);
    const byWeek = panelReport(c.db, { ...week, period: 'week' }, ctx).series;
    expect(byWeek.map((w) => [w.key, w.total, w.sent])).toEqual([
      ['2025-02-24', 2, 1],
      ['2025-03-03', 6, 3],
    ]);
    // The same store read on UTC's calendar puts the 03:00 UTC reminder on Monday.
    syncPanelClock(c.db, 'UTC');
    const utcWeeks = panelReport(c.db, { ...week, period: 'week' }, { ...ctx, timeZone: 'UTC' }).series;
    expect(utcWeeks.map((w) => [w.key, w.total])).toEqual([
      ['2025-02-24', 1],
      ['2025-03-03', 7],
    ]);
  });

  it('break down by site, service, kind and channel, and filter by each', () => {
    const c = seedKnownClinic();
    const bySite = panelReport(c.db, { ...week, breakdown: 'site' }, ctx).breakdownRows;
    expect(bySite.map((s) => [s.key, s.label, s.total, s.sent])).toEqual([
      ['0', '', 1, 0],
      [String(c.siteA), 'Sede Centro', 5, 3],
      [String(c.siteB), 'Sede Norte', 2, 1],
    ]);
    const byKind = panelReport(c.db, { ...week, breakdown: 'kind' }, ctx).breakdownRows;
    expect(byKind.map((k) => [k.key, k.total, k.replied, k.failed])).toEqual([
      ['campaign', 1, 0, 1],
      ['manual', 1, 0, 0],
      ['reminder', 4, 1, 0],
      ['result', 2, 0, 1],
    ]);
    const cloud = panelReport(c.db, { ...week, channel: 'cloud-api' }, ctx);
    expect([cloud.totals.total, cloud.totals.sent, cloud.totals.failed, cloud.totals.readPct]).toEqual([3, 1, 2, 100]);
    const reminders = panelReport(c.db, { ...week, kind: 'reminder', siteId: c.siteA, serviceId: c.serviceX }, ctx);
    expect(figures(reminders.totals)).toMatchObject({ total: 4, sent: 3, replied: 1, repliedPct: 33.3, readPct: 33.3 });
    const oneDay = panelReport(c.db, { from: '2025-03-04', to: '2025-03-04' }, ctx);
    expect(oneDay.totals.total).toBe(2);
  });

  it('agree with a recount from the raw tables for every filter, period and breakdown', () => {
    const c = seedKnownClinic();
    const queries: PanelQuery[] = [
      {},
      { siteId: c.siteA },
      { siteId: 0 },
      { serviceId: c.serviceY },
      { kind: 'reminder' },
      { channel: 'demo' },
      { siteId: c.siteA, kind: 'reminder', channel: 'demo' },
      { from: '2025-03-03', to: '2025-03-04' },
    ];
    for (const extra of queries) {
      const q = { ...week, ...extra };
      const expected = recount(c.db, q);
      const day = panelReport(c.db, { ...q, period: 'day', breakdown: 'site' }, ctx);
      expect(figures(day.totals)).toEqual(expected.totals);
      expect(rows(day.series)).toEqual(expected.byDay);
      expect(rows(day.breakdownRows)).toEqual(expected.bySite);
      expect(day.failedByReason).toEqual(expected.failedByReason);
      const weekly = panelReport(c.db, { ...q, period: 'week', breakdown: 'service' }, ctx);
      expect(rows(weekly.series)).toEqual(expected.byWeek);
      expect(rows(weekly.breakdownRows)).toEqual(expected.byService);
      expect(rows(panelReport(c.db, { ...q, breakdown: 'kind' }, ctx).breakdownRows)).toEqual(expected.byKind);
      expect(rows(panelReport(c.db, { ...q, breakdown: 'channel' }, ctx).breakdownRows)).toEqual(expected.byChannel);
    }
  });

  it('give the reminder confirmation rate and no-shows with and without a confirmed reminder', () => {
    const c = seedKnownClinic();
    expect(panelReport(c.db, week, ctx).reminders).toEqual({
      appointments: 5,
      reminded: 3, // a1, a2, a4 (a3's reminder expired, a5 had none)
      confirmed: 2, // a1, a4 (a2's "yes" was for an earlier time)
      confirmationPct: 66.7,
      withConfirmedReminder: { appointments: 2, noShows: 1, pct: 50 },
      withoutConfirmedReminder: { appointments: 2, noShows: 2, pct: 100 },
    });
    const northOnly = panelReport(c.db, { ...week, siteId: c.siteB }, ctx).reminders;
    expect(northOnly).toMatchObject({ appointments: 1, reminded: 0, confirmationPct: 0 });
  });

  it('follow reschedules, answers, attendance and new reminders in the reminder figures', () => {
    const c = seedKnownClinic();
    const [a1, a2, a3, a4] = c.appointments as [number, number, number, number];
    // a1 is rescheduled: its confirmation was for the old time.
    c.db.prepare('UPDATE appointments SET starts_at = ?, updated_at = 1 WHERE id = ?').run(at('2025-03-04T18:00:00Z'), a1);
    // a2's patient confirms the new time; a4's answer turns into a cancellation.
    c.db.prepare('UPDATE appointment_answers SET starts_at = ? WHERE appointment_id = ?').run(at('2025-03-04T15:00:00Z'), a2);
    c.db.prepare(`UPDATE appointment_answers SET answer = 'cancelled' WHERE appointment_id = ?`).run(a4);
    // a3's second reminder reaches WhatsApp; the clinic marks a4 attended.
    const m = enqueue(c, { kind: 'reminder', site: c.siteA, service: c.serviceX, channel: 'demo', at: '2025-03-05T10:00:00Z', appointment: a3 });
    moveAt(c, m, at('2025-03-05T10:00:00Z'), 'sending');
    moveAt(c, m, at('2025-03-05T10:00:01Z'), 'sent', { providerId: 'wamid.late' });
    c.db.prepare(`UPDATE appointments SET status = 'attended' WHERE id = ?`).run(a4);
    expect(panelReport(c.db, week, ctx).reminders).toEqual({
      appointments: 5,
      reminded: 4, // a1, a2, a3, a4
      confirmed: 1, // a2
      confirmationPct: 25,
      withConfirmedReminder: { appointments: 1, noShows: 1, pct: 100 },
      withoutConfirmedReminder: { appointments: 3, noShows: 1, pct: 33.3 },
    });
    c.db.prepare('DELETE FROM appointment_answers WHERE appointment_id = ?').run(a2);
    expect(panelReport(c.db, week, ctx).reminders.confirmed).toBe(0);
    const kept = panelRollupRows(c.db);
    rebuildPanelRollups(c.db);
    expect(panelRollupRows(c.db)).toEqual(kept);
  });

  it('keep the roll-ups equal to a recount from scratch', () => {
    const c = seedKnownClinic();
    const kept = panelRollupRows(c.db);
    rebuildPanelRollups(c.db);
    expect(panelRollupRows(c.db)).toEqual(kept);
    expect(kept.daily.length).toBeGreaterThan(0);
  });

  it('export what the Panel shows as CSV, in the clinic’s language', () => {
    const c = seedKnownClinic();
    const report = panelReport(c.db, { ...week, breakdown: 'site' }, ctx);
    const names = { site: (id: number) => (id === c.siteA ? 'Sede Centro' : 'Sede Norte'), service: () => '' };
    const es = panelCsv(report, 'es', names);
    expect(es.filename).toBe('avisa-panel-2025-03-01-2025-03-07.csv');
    expect(es.csv.startsWith('\uFEFFPanel de mensajes\r\n')).toBe(true);
    const lines = es.csv.split('\r\n');
    // Totals: 8 messages, 4 sent, 4 delivered (100 %), 2 read (50 %), 1 replied (25 %), 2 failed, 1 expired,
    // medians 2–3 s and 120–180 s.
    expect(lines[lines.indexOf(lines.find((l) => l.startsWith('Totales;')) as string) + 1]).toBe(
      ';8;4;4;100;2;50;1;25;2;1;2;3;120;180',
    );
    expect(lines).toContain('2025-03-02;2;1;1;100;1;100;0;0;0;1;2;3;120;180');
    expect(lines).toContain('sin asignar;1;0;0;0;0;0;0;0;0;0;;;;');
    // The reason in words, the provider's code only as the last, technical column.
    expect(lines).toContain('Fallos por motivo;Motivo;Cantidad;Detalle técnico (código)');
    expect(lines).toContain(';El número no tiene WhatsApp.;1;131026');
    expect(lines).toContain(';% de confirmación;66,7');
    const en = panelCsv(report, 'en', names).csv.split('\r\n');
    expect(en).toContain(',% confirmed,66.7');
    expect(en).toContain('Sede Centro,5,3,3,100,1,33.3,1,33.3,1,1,2,3,120,180');
  });

  it('name kinds, channels and the zone in words in the CSV, filtered or broken down', () => {
    const c = seedKnownClinic();
    const names = { site: () => 'Sede Centro', service: () => '' };
    const filtered = panelCsv(panelReport(c.db, { ...week, kind: 'reminder', channel: 'cloud-api' }, ctx), 'es', names).csv;
    expect(filtered).toContain('Tipo: Recordatorio');
    expect(filtered).toContain('Canal: WhatsApp Cloud API');
    const byKind = panelCsv(panelReport(c.db, { ...week, breakdown: 'kind' }, ctx), 'es', names).csv;
    expect(byKind).toMatch(/\r\n(Recordatorio|Resultado);\d/);
    expect(byKind).not.toMatch(/\r\n(reminder|result|cloud-api);/);
    const byChannel = panelCsv(panelReport(c.db, { ...week, breakdown: 'channel' }, ctx), 'en', names).csv;
    expect(byChannel).not.toMatch(/\r\n(cloud-api|linked-device|demo),/);
    expect(byChannel).toMatch(/Time zone,\w[\w ]* \(\w+\/\w+\)/);
  });

  it('cut one site’s figures at that site’s midnight and the chain’s at the clinic’s, with the zone in the report', () => {
    const c = openClinic();
    // Sede Norte is in São Paulo, two hours ahead of Lima (the clinic's zone) all year.
    c.db.prepare('UPDATE sites SET time_zone = ? WHERE id = ?').run('America/Sao_Paulo', c.siteB);
    syncPanelClock(c.db, ZONE);
    let provider = 0;
    const sendAt = (site: number, iso: string) => {
      const id = enqueue(c, { kind: 'result', site, service: c.serviceY, channel: 'demo', at: iso });
      moveAt(c, id, at(iso) - 500, 'sending');
      moveAt(c, id, at(iso), 'sent', { providerId: `wamid.z${++provider}` });
    };
    // 04:00Z on 4 March: 01:00 on the 4th in São Paulo, still 23:00 on the 3rd in Lima.
    sendAt(c.siteB, '2025-03-04T04:00:00Z');
    // 02:30Z: 23:30 on the 3rd in São Paulo, 21:30 on the 3rd in Lima.
    sendAt(c.siteB, '2025-03-04T02:30:00Z');
    // 05:30Z: 00:30 on the 4th in Lima.
    sendAt(c.siteA, '2025-03-04T05:30:00Z');
    // 04:30Z at the Lima site: 23:30 on the 3rd there (its own midnight, not São Paulo's).
    sendAt(c.siteA, '2025-03-04T04:30:00Z');
    const on = (day: string, extra: PanelQuery = {}) => panelReport(c.db, { from: day, to: day, ...extra }, ctx);

    const north = on('2025-03-04', { siteId: c.siteB });
    expect([north.totals.total, north.timeZone]).toEqual([1, 'America/Sao_Paulo']);
    expect(on('2025-03-03', { siteId: c.siteB }).totals.total).toBe(1);
    expect(on('2025-03-04', { siteId: c.siteA }).totals.total).toBe(1);
    const chain = on('2025-03-03');
    expect([chain.totals.total, chain.timeZone]).toEqual([3, ZONE]);
    expect(on('2025-03-04').totals.total).toBe(1);
    // The chain's breakdown by site is on the clinic's calendar too: its rows add up to its total.
    const bySite = on('2025-03-03', { breakdown: 'site' }).breakdownRows;
    expect(bySite.map((r) => [r.key, r.total])).toEqual([
      [String(c.siteA), 1],
      [String(c.siteB), 2],
    ]);

    // And against the independent recount, each site in its own zone, the chain in the clinic's.
    const range = { from: '2025-03-01', to: '2025-03-07' };
    for (const [q, zone] of [
      [{ ...range, siteId: c.siteB }, 'America/Sao_Paulo'],
      [{ ...range, siteId: c.siteA }, ZONE],
      [range, ZONE],
    ] as const) {
      const expected = recount(c.db, q, zone);
      const report = panelReport(c.db, { ...q, period: 'day' }, ctx);
      expect(figures(report.totals)).toEqual(expected.totals);
      expect(rows(report.series)).toEqual(expected.byDay);
    }
  });
});
