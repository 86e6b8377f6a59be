import { describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage, SendOutcome } from '../../src/main/core/channels/channel';
import { createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { eventBus } from '../../src/main/core/events';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { getMessage } from '../../src/main/core/store/messages-repo';
import { messageRecord } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

interface RigOptions {
  recipientGapMs?: number;
  maxPerSecond?: number;
  dailyCap?: number;
  maxInFlight?: number;
  /** The clock of the outbox and the dispatcher; the wall clock when not given. */
  now?: () => number;
}

function rig(answer: (m: OutgoingMessage, db: Db) => SendOutcome | Promise<SendOutcome>, opts: RigOptions = {}) {
  const db = openDatabase(tempDir());
  const now = opts.now ?? Date.now;
  const outbox = createOutbox(db, eventBus(), now, () => 'es');
  const sent: OutgoingMessage[] = [];
  let paused = false;
  // Each pass asks first whether sending is paused: the sign that the dispatcher has looked at the queue.
  let pauseAsked = 0;
  // Asked only when a channel has reached its daily cap: the sign that the cap stopped the pass.
  let capReached = 0;
  const accountProblems: string[] = [];
  const channel: Channel = {
    id: 'cloud-api',
    recipientGapMs: opts.recipientGapMs ?? 0,
    send: async (m) => {
      sent.push(m);
      return answer(m, db);
    },
    close: () => undefined,
  };
  const dispatcher = createDispatcher({
    db,
    outbox,
    ...throughOneChannel(() => channel),
    isPaused: () => {
      pauseAsked += 1;
      return paused;
    },
    now,
    maxPerSecond: () => opts.maxPerSecond ?? 0,
    dailyCap: () => opts.dailyCap ?? 0,
    dayOf: (at) => new Date(at).toISOString().slice(0, 10),
    nextDayStart: (at) => {
      capReached += 1;
      return at + 86_400_000;
    },
    maxInFlight: opts.maxInFlight ?? 4,
    maxAttempts: 3,
    backoffMs: () => 20,
    onAccountProblem: (code) => {
      accountProblems.push(code);
      paused = true;
    },
  });
  return { db, outbox, sent, dispatcher, accountProblems, pause: (p: boolean) => (paused = p), pauseAsked: () => pauseAsked, capReached: () => capReached };
}

describe('dispatcher', () => {
  it('writes sending before the call and the provider id after it, most urgent first', async () => {
    const statesDuringSend: string[] = [];
    const r = rig((m, db) => {
      statesDuringSend.push(getMessage(db, m.id)?.state ?? '');
      return { ok: true, providerId: `wamid.${m.id}` };
    });
    const campaign = r.outbox.enqueue(messageRecord({ idempotencyKey: 'c', kind: 'campaign', priority: 9 })).message;
    const result = r.outbox.enqueue(messageRecord({ idempotencyKey: 'r', kind: 'result', priority: 1 })).message;
    r.dispatcher.wake();
    await until(() => getMessage(r.db, campaign.id)?.state === 'sent');
    expect(r.sent.map((m) => m.id)).toEqual([result.id, campaign.id]);
    expect(statesDuringSend).toEqual(['sending', 'sending']);
    expect(getMessage(r.db, result.id)).toMatchObject({ state: 'sent', providerId: `wamid.${result.id}`, attempts: 1 });
    await r.dispatcher.stop();
  });

  it('waits for the not-before time instead of sending early', async () => {
    let clock = Date.UTC(2026, 2, 5, 15, 0);
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }), { now: () => clock });
    // Close enough that the dispatcher's own timer for it comes round quickly, and comes round again while the
    // clock stands still.
    const notBefore = clock + 50;
    const m = r.outbox.enqueue(messageRecord({ notBefore })).message;
    const due = r.outbox.enqueue(messageRecord({ idempotencyKey: 'due', toPhone: '+51911111111', notBefore: clock })).message;
    r.dispatcher.wake();
    // The pass that sent the message already due looked at the queue before the other one's time.
    await until(() => getMessage(r.db, due.id)?.state === 'sent');
    expect(getMessage(r.db, m.id)?.state).toBe('queued');
    // Its time comes: the dispatcher wakes by itself, nobody calls wake().
    clock = notBefore;
    await until(() => getMessage(r.db, m.id)?.state === 'sent');
    expect(getMessage(r.db, m.id)?.sentAt).toBe(notBefore);
    await r.dispatcher.stop();
  });

  it('retries transient errors with backoff, then gives up with the reason', async () => {
    const r = rig(() => ({ ok: false, code: '131000', reason: 'Error temporal', failure: 'transient' }));
    const m = r.outbox.enqueue(messageRecord()).message;
    r.dispatcher.wake();
    await until(() => getMessage(r.db, m.id)?.state === 'failed');
    expect(r.sent).toHaveLength(3);
    expect(getMessage(r.db, m.id)).toMatchObject({ attempts: 3, lastErrorCode: '131000', lastErrorReason: 'Error temporal' });
    await r.dispatcher.stop();
  });

  it('treats a thrown network error as transient and a permanent error as final', async () => {
    let calls = 0;
    const r = rig(() => {
      calls++;
      if (calls === 1) throw new Error('ECONNRESET');
      return { ok: false, code: '131026', reason: 'No tiene WhatsApp', failure: 'permanent' };
    });
    const m = r.outbox.enqueue(messageRecord()).message;
    r.dispatcher.wake();
    await until(() => getMessage(r.db, m.id)?.state === 'failed');
    expect(calls).toBe(2);
    expect(getMessage(r.db, m.id)).toMatchObject({ lastErrorCode: '131026', attempts: 2 });
    await r.dispatcher.stop();
  });

  it('sends nothing while paused and resumes when woken', async () => {
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }));
    r.pause(true);
    const m = r.outbox.enqueue(messageRecord()).message;
    const asked = r.pauseAsked();
    r.dispatcher.wake();
    // A pass that finds sending paused ends there, before it picks a message.
    await until(() => r.pauseAsked() > asked);
    expect(r.sent).toHaveLength(0);
    expect(getMessage(r.db, m.id)?.state).toBe('queued');
    r.pause(false);
    r.dispatcher.wake();
    await until(() => getMessage(r.db, m.id)?.state === 'sent');
    await r.dispatcher.stop();
  });

  it('sends again as a template when the 24-hour window is closed, once', async () => {
    const r = rig((m) =>
      m.asTemplate
        ? { ok: true, providerId: `wamid.${m.id}` }
        : { ok: false, code: '131047', reason: 'Ventana de 24 horas cerrada', failure: 'window' },
    );
    const m = r.outbox.enqueue(messageRecord()).message;
    r.dispatcher.wake();
    await until(() => getMessage(r.db, m.id)?.state === 'sent');
    expect(r.sent.map((s) => s.asTemplate)).toEqual([false, true]);
    await r.dispatcher.stop();
  });

  it('pauses on an account problem without burning the queue', async () => {
    const r = rig(() => ({ ok: false, code: '190', reason: 'Token vencido', failure: 'account' }));
    const a = r.outbox.enqueue(messageRecord({ idempotencyKey: 'a' })).message;
    const b = r.outbox.enqueue(messageRecord({ idempotencyKey: 'b', toPhone: '+51911111111' })).message;
    r.dispatcher.wake();
    await until(() => r.accountProblems.length > 0);
    // Stopping waits for the pass, and the sends it had in flight, to be recorded.
    await r.dispatcher.stop();
    expect(r.accountProblems[0]).toBe('190');
    expect(getMessage(r.db, a.id)).toMatchObject({ state: 'queued', lastErrorCode: '190' });
    expect(getMessage(r.db, b.id)?.state).not.toBe('failed');
  });

  it('keeps the per-recipient gap and defers the second message instead of failing it', async () => {
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }), { recipientGapMs: 400 });
    const first = r.outbox.enqueue(messageRecord({ idempotencyKey: '1' })).message;
    const second = r.outbox.enqueue(messageRecord({ idempotencyKey: '2' })).message;
    const other = r.outbox.enqueue(messageRecord({ idempotencyKey: '3', toPhone: '+51922222222' })).message;
    r.dispatcher.wake();
    await until(() => getMessage(r.db, second.id)?.state === 'sent');
    // When each left (sending), not when its answer was recorded: under load the answer can take a while.
    const at = (id: number) =>
      (r.db.prepare('SELECT sending_at AS t FROM messages WHERE id = ?').get(id) as { t: number }).t;
    // Two readings of the millisecond clock a tick apart: allow that one tick.
    expect(at(second.id) - at(first.id)).toBeGreaterThanOrEqual(399);
    expect(at(other.id) - at(first.id)).toBeLessThan(400);
    await r.dispatcher.stop();
  });

  it('stops at the daily cap and leaves the rest queued for the next day', async () => {
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }), { dailyCap: 3 });
    const ids = Array.from({ length: 5 }, (_, i) =>
      r.outbox.enqueue(messageRecord({ idempotencyKey: `cap${i}`, toPhone: `+5198765432${i}` })).message.id,
    );
    r.dispatcher.wake();
    await until(() => r.capReached() > 0);
    // Stopping waits for the pass that reached the cap to end, with whatever it had in flight recorded.
    await r.dispatcher.stop();
    expect(ids.map((id) => getMessage(r.db, id)?.state).filter((s) => s === 'sent')).toHaveLength(3);
    expect(ids.map((id) => getMessage(r.db, id)?.state).filter((s) => s === 'queued')).toHaveLength(2);
  });

  it('keeps to the rate limit', async () => {
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }), { maxPerSecond: 20 });
    for (let i = 0; i < 10; i++) r.outbox.enqueue(messageRecord({ idempotencyKey: `rate${i}`, toPhone: `+5198765400${i}` }));
    const start = Date.now();
    r.dispatcher.wake();
    await until(() => r.sent.length === 10);
    // 10 messages at 20/s with a burst of 1 need at least 9 gaps of 50 ms.
    expect(Date.now() - start).toBeGreaterThanOrEqual(430);
    await r.dispatcher.stop();
  });
});
