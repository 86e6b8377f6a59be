import { describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage, SendOutcome } from '../../src/main/core/channels/channel';
import { createDispatcher } from '../../src/main/core/outbox/dispatcher';
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

function rig(answer: (m: OutgoingMessage, db: Db) => SendOutcome | Promise<SendOutcome>) {
  const db = openDatabase(tempDir());
  const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
  const sent: OutgoingMessage[] = [];
  let paused = false;
  const channel: Channel = {
    id: 'demo',
    send: async (m) => {
      sent.push(m);
      return answer(m, db);
    },
    close: () => undefined,
  };
  const dispatcher = createDispatcher({
    db,
    outbox,
    channel: () => channel,
    isPaused: () => paused,
    now: Date.now,
    minGapMs: 0,
    maxAttempts: 3,
    backoffMs: () => 20,
  });
  return { db, outbox, sent, dispatcher, pause: (p: boolean) => (paused = p) };
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
    const r = rig((m) => ({ ok: true, providerId: `wamid.${m.id}` }));
    const notBefore = Date.now() + 300;
    const m = r.outbox.enqueue(messageRecord({ notBefore })).message;
    r.dispatcher.wake();
    await new Promise((res) => setTimeout(res, 100));
    expect(getMessage(r.db, m.id)?.state).toBe('queued');
    await until(() => getMessage(r.db, m.id)?.state === 'sent');
    expect(getMessage(r.db, m.id)?.sentAt).toBeGreaterThanOrEqual(notBefore);
    await r.dispatcher.stop();
  });

  it('retries transient errors with backoff, then gives up with the reason', async () => {
    const r = rig(() => ({ ok: false, code: '131000', reason: 'Error temporal', retry: 'transient' }));
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
      return { ok: false, code: '131026', reason: 'No tiene WhatsApp', retry: 'permanent' };
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
    r.dispatcher.wake();
    await new Promise((res) => setTimeout(res, 100));
    expect(r.sent).toHaveLength(0);
    r.pause(false);
    r.dispatcher.wake();
    await until(() => getMessage(r.db, m.id)?.state === 'sent');
    await r.dispatcher.stop();
  });
});
