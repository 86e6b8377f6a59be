import type { Db } from '../store/db';
import { dueMessageIds, getMessage, nextDueAt, templateParamsOf } from '../store/messages-repo';
import type { Channel } from '../channels/channel';
import type { Outbox } from './outbox';

export interface DispatcherOptions {
  db: Db;
  outbox: Outbox;
  /** The channel to send through now, or null when none is ready (messages then wait in the queue). */
  channel: () => Channel | null;
  isPaused: () => boolean;
  now: () => number;
  /** Smallest gap between two sends on the channel, so bursts are spread out. */
  minGapMs: number;
  maxAttempts: number;
  /** Delay before retry number n (1-based) after a transient error. */
  backoffMs: (attempt: number) => number;
}

export interface Dispatcher {
  /** Look at the queue now (new message, resumed sending, channel became ready). */
  wake(): void;
  /** Stops waking up and waits for a send in flight to be recorded. */
  stop(): Promise<void>;
}

const BATCH = 50;
// setTimeout cannot wait longer than ~24.8 days; waking earlier and looking again is harmless.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Sends due messages one at a time. It sleeps until the next not-before time instead of polling, and writes
 * `sending` before the network call and the provider id after it, so a crash never hides a send.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let again = false;

  const schedule = (at: number | null): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || at === null) return;
    timer = setTimeout(() => void run(), Math.min(Math.max(0, at - o.now()), MAX_TIMER_MS));
  };

  const sendOne = async (channel: Channel, id: number): Promise<void> => {
    if (!o.outbox.move(id, 'sending', { countAttempt: true })) return;
    const m = getMessage(o.db, id);
    if (!m) return;
    let outcome;
    try {
      outcome = await channel.send({
        id: m.id,
        kind: m.kind,
        toPhone: m.toPhone,
        body: m.body,
        templateName: m.templateName,
        templateParams: templateParamsOf(o.db, m.id),
      });
    } catch (error) {
      outcome = { ok: false as const, code: 'network', reason: String(error), retry: 'transient' as const };
    }
    if (outcome.ok) {
      o.outbox.move(id, 'sent', { providerId: outcome.providerId });
    } else if (outcome.retry === 'transient' && m.attempts < o.maxAttempts) {
      o.outbox.move(id, 'queued', {
        errorCode: outcome.code,
        errorReason: outcome.reason,
        notBefore: o.now() + o.backoffMs(m.attempts),
      });
    } else {
      o.outbox.move(id, 'failed', { errorCode: outcome.code, errorReason: outcome.reason });
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    const pass: Promise<void> = loop().finally(() => {
      if (running === pass) running = null;
    });
    running = pass;
    return pass;
  };

  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        const channel = o.channel();
        if (stopped || !channel || o.isPaused()) return;
        for (const id of dueMessageIds(o.db, o.now(), BATCH)) {
          if (stopped || o.isPaused()) return;
          await sendOne(channel, id);
          if (o.minGapMs > 0) await new Promise((r) => setTimeout(r, o.minGapMs));
          again = true;
        }
      } while (again);
    } finally {
      if (!stopped && o.channel() && !o.isPaused()) schedule(nextDueAt(o.db));
    }
  };

  return {
    wake: () => schedule(o.now()),
    async stop() {
      stopped = true;
      schedule(null);
      await running;
    },
  };
}
