// The Panel's message triggers take a narrow path for messages neither delivered nor read and the full row otherwise:
// random raw writes that cross between the two (and move rows between days, channels and failure reasons) must leave
// the roll-ups equal to a recount from scratch.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { syncPanelClock } from '../../src/main/core/metrics/clinic-clock';
import { panelRollupRows, rebuildPanelRollups, replacePanelClock } from '../../src/main/core/store/panel-repo';
import { openClinic } from './seed';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('Panel roll-up triggers', () => {
  it('stay equal to a recount under random inserts, updates and deletes of every watched column', () => {
    const c = openClinic();
    const rnd = random(19);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const base = Date.parse('2025-03-01T00:00:00Z');
    replacePanelClock(c.db, 'America/Santiago', [
      { since: 0, offsetMinutes: -180 },
      { since: Date.parse('2025-04-06T03:00:00Z'), offsetMinutes: -240 },
    ]);
    const maybe = <T>(v: T): T | null => (rnd() < 0.4 ? null : v);
    const at = () => base + Math.floor(rnd() * 60 * 86_400_000);
    const states = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown'];
    const insert = c.db.prepare(
      `INSERT INTO messages (kind, idempotency_key, site_id, service_id, channel, to_phone, not_before, state, sent_at,
         delivered_at, read_at, last_error_code, last_error_reason, queued_at, created_at, updated_at)
       VALUES (@kind, @key, @site, @service, @channel, '+51987654321', @notBefore, @state, @sentAt, @deliveredAt, @readAt,
         @code, @reason, 0, 0, 0)`,
    );
    const timed = (sentAt: number | null) => (sentAt === null ? null : maybe(sentAt + Math.floor(rnd() * 3 * 86_400_000)));
    const ids: number[] = [];
    for (let step = 0; step < 1500; step++) {
      const roll = rnd();
      const id = ids.length ? pick(ids) : undefined;
      if (roll < 0.35 || id === undefined) {
        const sentAt = maybe(at());
        const info = insert.run({
          kind: pick(['reminder', 'result', 'campaign']),
          key: `t:${step}`,
          site: maybe(pick([c.siteA, c.siteB])),
          service: maybe(pick([c.serviceX, c.serviceY])),
          channel: pick(['cloud-api', 'linked-device', 'demo']),
          notBefore: at(),
          state: pick(states),
          sentAt,
          deliveredAt: timed(sentAt),
          readAt: timed(sentAt),
          code: maybe(pick(['131026', '131047'])),
          reason: maybe('El número no tiene WhatsApp.'),
        });
        ids.push(Number(info.lastInsertRowid));
      } else if (roll < 0.45) {
        c.db.prepare('DELETE FROM replies WHERE message_id = ?').run(id);
        c.db.prepare('DELETE FROM messages WHERE id = ?').run(id);
        ids.splice(ids.indexOf(id), 1);
      } else if (roll < 0.5) {
        c.db
          .prepare('INSERT INTO replies (provider_message_id, message_id, from_phone, body, received_at) VALUES (?, ?, ?, ?, ?)')
          .run(`r:${step}`, id, '+51987654321', 'Sí', at());
      } else {
        const column = pick(['state', 'sent_at', 'delivered_at', 'read_at', 'not_before', 'channel', 'site_id', 'last_error_code']);
        const value =
          column === 'state' ? pick(states)
          : column === 'channel' ? pick(['cloud-api', 'linked-device'])
          : column === 'site_id' ? maybe(pick([c.siteA, c.siteB]))
          : column === 'last_error_code' ? maybe(pick(['131026', '131047', '470']))
          : column === 'not_before' ? at()
          : maybe(at());
        c.db.prepare(`UPDATE messages SET ${column} = ? WHERE id = ?`).run(value, id);
      }
    }
    const kept = panelRollupRows(c.db);
    expect(kept.daily.length).toBeGreaterThan(20);
    expect(kept.failures.length).toBeGreaterThan(0);
    expect(kept.latency.length).toBeGreaterThan(0);
    rebuildPanelRollups(c.db);
    expect(panelRollupRows(c.db)).toEqual(kept);
  });

  it('cut each site at its own midnight, two sites two hours apart, with messages around both midnights', () => {
    const c = openClinic();
    const zones = new Map<number, string>([
      [c.siteA, 'America/Lima'], // UTC-5 all year: the clinic's zone
      [c.siteB, 'America/Sao_Paulo'], // UTC-3 all year: two hours ahead
    ]);
    const santiago = c.db
      .prepare(`INSERT INTO sites (name, country, time_zone, created_at) VALUES ('Sede Santiago', 'CL', 'America/Santiago', 0)`)
      .run();
    // Santiago moves from UTC-3 to UTC-4 on 6 April 2025: one of its midnights is 2 h from Lima's, the next 1 h.
    const siteC = Number(santiago.lastInsertRowid);
    zones.set(siteC, 'America/Santiago');
    c.db.prepare('UPDATE sites SET time_zone = ? WHERE id = ?').run('America/Sao_Paulo', c.siteB);
    expect(syncPanelClock(c.db, 'America/Lima')).toBe(true);
    const rnd = random(24);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const maybe = <T>(v: T): T | null => (rnd() < 0.3 ? null : v);
    // Moments within 40 min of a midnight of Lima (05:00Z), São Paulo (03:00Z) or Santiago (03:00Z / 04:00Z), 1–12 April.
    const aroundMidnight = () =>
      Date.parse('2025-04-01T00:00:00Z') + Math.floor(rnd() * 12) * 86_400_000 + pick([3, 4, 5]) * 3_600_000 + Math.floor((rnd() - 0.5) * 80) * 60_000;
    const insert = c.db.prepare(
      `INSERT INTO messages (kind, idempotency_key, site_id, service_id, channel, to_phone, not_before, state, sent_at,
         delivered_at, read_at, last_error_code, last_error_reason, queued_at, created_at, updated_at)
       VALUES ('result', @key, @site, NULL, 'demo', '+51987654321', @notBefore, @state, @sentAt, @deliveredAt, NULL,
         @code, 'El número no tiene WhatsApp.', 0, 0, 0)`,
    );
    const appointment = c.db.prepare(
      `INSERT INTO appointments (site_id, service_id, patient_id, starts_at, status, source, source_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'booked', 'test', ?, 0, 0)`,
    );
    const sites = [c.siteA, c.siteB, siteC];
    const ids: number[] = [];
    for (let step = 0; step < 600; step++) {
      const id = ids.length ? pick(ids) : undefined;
      const roll = rnd();
      if (roll < 0.5 || id === undefined) {
        const sentAt = maybe(aroundMidnight());
        const state = sentAt === null ? pick(['queued', 'failed', 'expired']) : pick(['sent', 'delivered', 'failed']);
        const info = insert.run({
          key: `s:${step}`,
          site: rnd() < 0.1 ? null : pick(sites),
          notBefore: aroundMidnight(),
          state,
          sentAt,
          deliveredAt: state === 'delivered' && sentAt !== null ? sentAt + 2_000 : null,
          code: state === 'failed' ? '131026' : null,
        });
        ids.push(Number(info.lastInsertRowid));
      } else if (roll < 0.6) {
        appointment.run(pick(sites), c.serviceX, c.patient, aroundMidnight(), `a:${step}`);
      } else if (roll < 0.7) {
        c.db.prepare('DELETE FROM messages WHERE id = ?').run(id);
        ids.splice(ids.indexOf(id), 1);
      } else {
        const column = pick(['not_before', 'sent_at', 'site_id']);
        const value = column === 'site_id' ? maybe(pick(sites)) : column === 'sent_at' ? maybe(aroundMidnight()) : aroundMidnight();
        c.db.prepare(`UPDATE messages SET ${column} = ? WHERE id = ?`).run(value, id);
      }
    }

    // An independent count: luxon's calendar in each site's zone (the clinic's for messages without a site).
    const dayIn = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toISODate() as string;
    const tally = (rows: { at: number; site: number | null }[], key: (r: { at: number; site: number | null }) => string) => {
      const out: Record<string, number> = {};
      for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
      return out;
    };
    const messages = (c.db.prepare('SELECT COALESCE(sent_at, not_before) AS at, site_id AS site FROM messages').all() as {
      at: number;
      site: number | null;
    }[]);
    const bySiteDay = (table: string, count: string) =>
      Object.fromEntries(
        (c.db.prepare(`SELECT site_day || ' ' || site_id AS k, SUM(${count}) AS n FROM ${table} GROUP BY 1 HAVING SUM(${count}) <> 0`).all() as {
          k: string;
          n: number;
        }[]).map((r) => [r.k, r.n]),
      );
    const byClinicDay = (table: string, count: string) =>
      Object.fromEntries(
        (c.db.prepare(`SELECT day AS k, SUM(${count}) AS n FROM ${table} GROUP BY 1 HAVING SUM(${count}) <> 0`).all() as {
          k: string;
          n: number;
        }[]).map((r) => [r.k, r.n]),
      );
    const siteKey = (r: { at: number; site: number | null }) => `${dayIn(r.at, zones.get(r.site ?? 0) ?? 'America/Lima')} ${r.site ?? 0}`;
    const clinicKey = (r: { at: number }) => dayIn(r.at, 'America/Lima');
    expect(bySiteDay('panel_daily', 'total')).toEqual(tally(messages, siteKey));
    expect(byClinicDay('panel_daily', 'total')).toEqual(tally(messages, clinicKey));
    const appointments = c.db.prepare('SELECT starts_at AS at, site_id AS site FROM appointments').all() as { at: number; site: number }[];
    expect(bySiteDay('panel_appointments', 'n')).toEqual(tally(appointments, siteKey));
    expect(byClinicDay('panel_appointments', 'n')).toEqual(tally(appointments, clinicKey));
    // The two calendars really differ for the sites ahead of Lima, and a Santiago row fell on each side of its change.
    const siteDays = c.db.prepare('SELECT COUNT(*) AS n FROM panel_daily WHERE site_day <> day AND total <> 0').get() as { n: number };
    expect(siteDays.n).toBeGreaterThan(10);
    expect(messages.some((m) => m.site === siteC && m.at < Date.parse('2025-04-06T03:00:00Z'))).toBe(true);
    expect(messages.some((m) => m.site === siteC && m.at > Date.parse('2025-04-06T03:00:00Z'))).toBe(true);

    const kept = panelRollupRows(c.db);
    rebuildPanelRollups(c.db);
    expect(panelRollupRows(c.db)).toEqual(kept);
  });
});
