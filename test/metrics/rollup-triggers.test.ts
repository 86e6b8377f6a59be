// The Panel's message triggers take a narrow path for messages neither delivered nor read and the full row otherwise:
// random raw writes that cross between the two (and move rows between days, channels and failure reasons) must leave
// the roll-ups equal to a recount from scratch.
import { describe, expect, it } from 'vitest';
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
    expect(kept.daily.some((r) => Object.entries(r).some(([k, v]) => /^[dr]\d+$/.test(k) && v !== 0))).toBe(true);
    rebuildPanelRollups(c.db);
    expect(panelRollupRows(c.db)).toEqual(kept);
  });
});
