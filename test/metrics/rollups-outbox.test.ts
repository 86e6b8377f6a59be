import { describe, expect, it } from 'vitest';
import type { ChannelId, MessageKind, MessageState } from '../../src/shared/domain';
import { syncPanelClock } from '../../src/main/core/metrics/clinic-clock';
import { panelReport } from '../../src/main/core/metrics/panel';
import { canMove } from '../../src/main/core/outbox/state-machine';
import { deferMessage, messageState } from '../../src/main/core/store/messages-repo';
import { panelRollupRows, rebuildPanelRollups } from '../../src/main/core/store/panel-repo';
import { enqueue, moveAt, openClinic, recount } from './seed';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const kinds: MessageKind[] = ['result', 'reminder', 'document', 'campaign', 'followup', 'manual'];
const channels: ChannelId[] = ['demo', 'cloud-api', 'linked-device'];
const states: MessageState[] = ['sending', 'queued', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown'];
const errors = [
  ['131026', 'El número no tiene WhatsApp.'],
  ['131047', 'Pasaron más de 24 horas desde el último mensaje del paciente.'],
  ['131049', 'Meta limitó los mensajes de marketing.'],
] as const;

/** Recounts the roll-ups from scratch and checks nothing moved: the triggers kept them exact. */
function expectRollupsExact(db: ReturnType<typeof openClinic>['db']): void {
  const kept = panelRollupRows(db);
  rebuildPanelRollups(db);
  expect(panelRollupRows(db)).toEqual(kept);
}

describe('Panel roll-ups under the real outbox', () => {
  it('stay equal to a recount while messages are queued, sent, delivered, read, failed, answered and resent', () => {
    const c = openClinic();
    // Santiago changes its offset twice a year: the days around each change must still split at local midnight.
    syncPanelClock(c.db, 'America/Santiago');
    const rnd = random(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
    const start = Date.parse('2025-03-20T00:00:00Z'); // three weeks around Chile's change of 6 April 2025
    const ids: number[] = [];
    let provider = 0;
    for (let step = 0; step < 600; step++) {
      const t = start + Math.floor(rnd() * 21 * 86_400_000);
      const op = rnd();
      if (op < 0.3 || ids.length < 5) {
        ids.push(
          enqueue(c, {
            kind: pick(kinds),
            site: pick([c.siteA, c.siteB, null]),
            service: pick([c.serviceX, c.serviceY, null]),
            channel: pick(channels),
            at: t,
          }),
        );
      } else if (op < 0.8) {
        const id = pick(ids);
        const from = messageState(c.db, id) as MessageState;
        // Mostly forward, as messages really go; sometimes anything the state machine allows.
        const forward = { queued: 'sending', sending: 'sent', sent: 'delivered', delivered: 'read' } as Partial<Record<MessageState, MessageState>>;
        const to = rnd() < 0.6 && forward[from] ? forward[from] : pick(states.filter((s) => canMove(from, s)));
        if (!to) continue;
        const [code, reason] = pick(errors);
        const last = c.db
          .prepare('SELECT MAX(not_before, IFNULL(sent_at, 0), IFNULL(delivered_at, 0), IFNULL(read_at, 0)) AS t FROM messages WHERE id = ?')
          .get(id) as { t: number };
        // Each step comes after the message's moment and its last status: seconds to hours later.
        const when = last.t + Math.floor(rnd() * rnd() * 7_200_000);
        moveAt(c, id, when, to, {
          providerId: to === 'sent' ? `wamid.${++provider}` : undefined,
          errorCode: to === 'failed' || to === 'queued' ? code : undefined,
          errorReason: to === 'failed' || to === 'queued' ? reason : undefined,
        });
      } else if (op < 0.88) {
        const sent = (c.db.prepare('SELECT provider_id AS p FROM messages WHERE provider_id IS NOT NULL ORDER BY id').all() as {
          p: string;
        }[]).map((r) => r.p);
        if (sent.length) {
          c.outbox.recordReply({ providerMessageId: `in.${step}`, fromPhone: '+51987654321', body: 'ok', at: t, inReplyTo: pick(sent) });
        }
      } else if (op < 0.94) {
        const id = pick(ids);
        if (['failed', 'expired', 'unknown'].includes(messageState(c.db, id) as string)) ids.push(c.outbox.resend(id, 'test').id);
      } else {
        // Pacing moves a queued message later; a message due another day counts on that day.
        deferMessage(c.db, pick(ids), t + 86_400_000);
      }
      if (step % 100 === 99) expectRollupsExact(c.db);
    }
    expectRollupsExact(c.db);

    // And the figures read from them are the raw tables' figures.
    const q = { from: '2025-03-18', to: '2025-04-20' };
    const report = panelReport(c.db, { ...q, period: 'day' }, { timeZone: 'America/Santiago', now: start });
    const expected = recount(c.db, q, 'America/Santiago');
    expect(report.totals).toMatchObject(expected.totals);
    expect(report.series.map((r) => [r.key, r.total, r.sent, r.replied])).toEqual(
      expected.byDay.map((r) => [r.key, r.total, r.sent, r.replied]),
    );
    expect(report.failedByReason).toEqual(expected.failedByReason);
    expect(report.totals.total).toBeGreaterThan(100);
    expect((c.db.prepare('SELECT COUNT(*) AS n FROM replies').get() as { n: number }).n).toBeGreaterThan(0);
    expect(report.totals.replied).toBeGreaterThan(0);
    expect(report.failedByReason.length).toBeGreaterThan(1);
  });

  it('recount when the clinic’s zone changes, and agree with the raw tables on the new calendar', () => {
    const c = openClinic();
    const id = enqueue(c, { kind: 'result', site: c.siteA, service: c.serviceX, channel: 'demo', at: '2025-03-03T03:00:00Z' });
    moveAt(c, id, Date.parse('2025-03-03T03:00:00Z'), 'sending');
    expect(syncPanelClock(c.db, 'America/Lima')).toBe(true);
    expect(syncPanelClock(c.db, 'America/Lima')).toBe(false);
    const lima = panelReport(c.db, { from: '2025-03-01', to: '2025-03-05' }, { timeZone: 'America/Lima', now: 0 });
    expect(lima.series.map((d) => d.key)).toEqual(['2025-03-02']);
    syncPanelClock(c.db, 'Europe/Madrid');
    const madrid = panelReport(c.db, { from: '2025-03-01', to: '2025-03-05' }, { timeZone: 'Europe/Madrid', now: 0 });
    expect(madrid.series.map((d) => d.key)).toEqual(['2025-03-03']);
  });
});
