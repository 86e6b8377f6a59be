import type { Db } from '../store/db';
import {
  addSendCount,
  deferMessage,
  deferWithError,
  dispatchRowOf,
  dueMessageIds,
  markAsTemplate,
  moreUrgentDue,
  nextDueAt,
  sendCount,
  type DispatchRow,
} from '../store/messages-repo';
import type { Channel, OutgoingMessage, Prepared, SendFailure, SendOutcome } from '../channels/channel';
import type { ChannelId } from '../../../shared/domain';
import type { Outbox } from './outbox';
import { rateLimiter, recipientSpacing } from './pacing';

export interface DispatcherOptions {
  db: Db;
  outbox: Outbox;
  /** A channel ready to send now, or null (its messages then wait in the queue). */
  channelFor: (id: ChannelId) => Channel | null;
  /** The channels ready now: only their messages are looked at. */
  readyChannels: () => ChannelId[];
  /** Sending paused by a person or by an account problem: nothing leaves, nothing is lost. */
  isPaused: () => boolean;
  now: () => number;
  /** Messages per second through a channel (0 = the channel's own limit, or none). */
  maxPerSecond: (id: ChannelId) => number;
  /** Most messages one channel may send per local day (0 = no cap), and the local day of a moment. */
  dailyCap: () => number;
  dayOf: (at: number) => string;
  /** Next local midnight after a moment, when a reached daily cap opens again. */
  nextDayStart: (at: number) => number;
  /** Most sends in flight at once; `inFlightFor` may ask for fewer per channel. */
  maxInFlight: number;
  /** Sends in flight a channel needs for its pace (from its measured latency); without it, maxInFlight. */
  inFlightFor?: (id: ChannelId) => number;
  /** How long a channel's send took and whether the provider accepted it (latency and achieved rate). */
  onSendTimed?: (id: ChannelId, ms: number, ok: boolean) => void;
  maxAttempts: number;
  /** Delay before retry number n (1-based) after a transient error. */
  backoffMs: (attempt: number) => number;
  /** The channel said its token or account is unusable: pause, tell a person, keep the queue. */
  onAccountProblem: (code: string, reason: string) => void;
  /**
   * Asked about each message just before it leaves (consent now, a campaign's throttle, quiet hours that pacing or the
   * daily cap pushed a reminder into): go, wait until a moment, or end it with a reason. Without it, every due message
   * goes.
   */
  gate?: (row: DispatchRow, now: number) => DispatchGate;
  /**
   * A database write failed under the dispatcher (disk full, file locked, damaged): told here instead of thrown into
   * a timer. Rows keep their last committed state: queued ones stay queued, a send whose outcome could not be written
   * stays `sending` and is reconciled like after a crash. Without it, the error is thrown as before.
   */
  onStorageError?: (error: unknown) => void;
}

export type DispatchGate =
  | { go: true }
  | { go: false; notBefore: number }
  | { go: false; cancel: { code: string; reason: string; state?: 'cancelled' | 'expired'; actor?: string } };

/** The first gate that holds a message back decides; otherwise it goes. */
export function allGates(
  ...gates: ((row: DispatchRow, now: number) => DispatchGate)[]
): (row: DispatchRow, now: number) => DispatchGate {
  return (row, now) => {
    for (const gate of gates) {
      const verdict = gate(row, now);
      if (!verdict.go) return verdict;
    }
    return { go: true };
  };
}

export interface Dispatcher {
  /** Look at the queue now (new message, resumed sending, channel became ready). */
  wake(): void;
  /** Stops waking up and waits for sends in flight to be recorded. */
  stop(): Promise<void>;
}

const BATCH = 200;
// setTimeout cannot wait longer than ~24.8 days; waking earlier and looking again is harmless.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Sends due messages, most urgent first, within the channel's pace. It sleeps until the next not-before time instead
 * of polling, and writes `sending` before each network call and the provider id after it, so a crash never hides a
 * send.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let again = false;
  // Each channel keeps its own pace: Meta's limits and a phone's human-like gaps have nothing to do with each other.
  const pacing = new Map<ChannelId, { limiter: ReturnType<typeof rateLimiter>; spacing: ReturnType<typeof recipientSpacing> }>();
  const pacingOf = (id: ChannelId) => {
    let p = pacing.get(id);
    if (!p) {
      p = {
        limiter: rateLimiter(() => o.maxPerSecond(id) || (o.channelFor(id)?.maxPerSecond ?? 0)),
        spacing: recipientSpacing(() => o.channelFor(id)?.recipientGapMs ?? 0),
      };
      pacing.set(id, p);
    }
    return p;
  };

  const schedule = (at: number | null): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || at === null) return;
    timer = setTimeout(() => void run(), Math.min(Math.max(0, at - o.now()), MAX_TIMER_MS));
  };

  const settle = (id: number, attempts: number, outcome: SendOutcome): void => {
    if (outcome.ok) {
      o.outbox.move(id, 'sent', { providerId: outcome.providerId });
      return;
    }
    const error = { errorCode: outcome.code, errorReason: outcome.reason };
    switch (outcome.failure) {
      case 'transient':
        if (attempts < o.maxAttempts) {
          const delay = outcome.retryAfterMs ?? o.backoffMs(attempts);
          o.outbox.move(id, 'queued', { ...error, notBefore: o.now() + delay });
        } else {
          o.outbox.move(id, 'failed', error);
        }
        return;
      case 'window': {
        const row = dispatchRowOf(o.db, id);
        if (row && !row.asTemplate) {
          markAsTemplate(o.db, id);
          o.outbox.move(id, 'queued', { ...error, notBefore: o.now() });
        } else {
          o.outbox.move(id, 'failed', error);
        }
        return;
      }
      case 'account':
        // Not the message's fault: it goes back to the queue untouched and waits for the channel to be fixed.
        o.outbox.move(id, 'queued', { ...error, notBefore: o.now() });
        o.onAccountProblem(outcome.code, outcome.reason);
        return;
      case 'permanent':
        // Failed here, never accepted: the kind's fallback channel may carry it instead.
        if (o.outbox.move(id, 'failed', error)) o.outbox.fallBack(id);
        return;
      case 'ambiguous':
        // The request was written and no answer came: Meta may have it. Unknown now, with what broke; its status
        // webhook (carrying our id) still settles it, and nothing is resent blindly.
        o.outbox.move(id, 'unknown', error);
        return;
    }
  };

  // Outcomes that arrive together are written in one transaction: a commit costs more than the rows in it. A crash
  // before the write leaves the message in `sending`, where the provider's status webhook reconciles it.
  let outcomes: { id: number; attempts: number; outcome: SendOutcome }[] = [];
  let flushed: Promise<void> | null = null;
  const settleSoon = (id: number, attempts: number, outcome: SendOutcome): Promise<void> => {
    outcomes.push({ id, attempts, outcome });
    flushed ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const batch = outcomes;
        outcomes = [];
        flushed = null;
        try {
          o.db.transaction(() => batch.forEach((b) => settle(b.id, b.attempts, b.outcome)))();
        } catch (error) {
          if (!o.onStorageError) throw error;
          o.onStorageError(error);
        } finally {
          resolve();
        }
      }),
    );
    return flushed;
  };

  /** Applies the gate; true when the message may leave now. */
  const passes = (row: DispatchRow): boolean => {
    const verdict = o.gate?.(row, o.now()) ?? { go: true };
    if (verdict.go) return true;
    if ('cancel' in verdict) {
      const { state = 'cancelled', code, reason, actor } = verdict.cancel;
      o.outbox.move(row.id, state, { errorCode: code, errorReason: reason, actor });
    } else {
      deferMessage(o.db, row.id, verdict.notBefore);
    }
    return false;
  };

  /** A message whose preparation failed never reached `sending`: it is settled from the queue. */
  const settleUnprepared = (row: DispatchRow, failure: SendFailure): void => {
    const error = { errorCode: failure.code, errorReason: failure.reason };
    if (failure.failure === 'account') {
      deferWithError(o.db, row.id, o.now(), o.now(), failure.code, failure.reason);
      o.onAccountProblem(failure.code, failure.reason);
    } else if (failure.failure === 'transient') {
      const delay = failure.retryAfterMs ?? o.backoffMs(row.attempts + 1);
      deferWithError(o.db, row.id, o.now(), o.now() + delay, failure.code, failure.reason);
    } else if (o.outbox.move(row.id, 'failed', error)) {
      o.outbox.fallBack(row.id);
    }
  };

  const prepare = async (channel: Channel, message: OutgoingMessage): Promise<Prepared | undefined> => {
    try {
      return await channel.prepare?.(message);
    } catch (error) {
      return { ok: false, code: 'prepare', reason: String(error), failure: 'transient' };
    }
  };

  const sendOne = async (channel: Channel, row: DispatchRow): Promise<void> => {
    const { attempts: before, channel: _channel, priority: _priority, ...message } = row;
    // Uploads and checks happen while the message is still queued: `sending` means the request is being written.
    // A channel with nothing to prepare moves in the loop's own tick, right after the gate said go.
    const prepared = channel.prepare ? await prepare(channel, message) : undefined;
    if (prepared && !prepared.ok) return settleUnprepared(row, prepared);
    // Asked again after the wait, in the same tick as the move: others may have moved meanwhile (a campaign's
    // throttle counts them) or the patient opted out.
    if (prepared && !passes(row)) return;
    if (!o.outbox.move(row.id, 'sending', { countAttempt: true })) return; // cancelled or taken meanwhile
    const spacing = pacingOf(channel.id).spacing;
    const id = row.id;
    const attempts = before + 1;
    let outcome: SendOutcome;
    const started = performance.now();
    try {
      outcome = await channel.send(message, prepared);
    } catch (error) {
      outcome = { ok: false, code: 'network', reason: String(error), failure: 'transient' };
    }
    o.onSendTimed?.(channel.id, performance.now() - started, outcome.ok);
    // Meta counts its pair rate from its acceptance, which comes after our start by the request's latency.
    if (outcome.ok) spacing.record(row.toPhone, o.now());
    await settleSoon(id, attempts, outcome);
  };

  const active = (): boolean => !stopped && !o.isPaused();

  const loop = async (): Promise<void> => {
    const inFlight = new Set<Promise<void>>();
    // Channels done for this pass: capped for the day (woken at the next local day) or held by their own budget
    // (they ask for a wake when they can send again).
    const excluded = new Set<ChannelId>();
    let wakeAt: number | null = null;
    const usable = () => o.readyChannels().filter((id) => !excluded.has(id));
    try {
      do {
        again = false;
        if (!active() || usable().length === 0) break;
        const cap = o.dailyCap();
        for (const id of dueMessageIds(o.db, o.now(), BATCH, usable())) {
          if (!active()) break;
          const row = dispatchRowOf(o.db, id);
          if (!row || excluded.has(row.channel)) continue;
          const channel = o.channelFor(row.channel);
          if (!channel) {
            excluded.add(row.channel);
            continue;
          }
          // Every attempt counts against the cap, counted before it leaves: a crash cannot let extra ones through.
          if (cap > 0 && sendCount(o.db, channel.id, o.dayOf(o.now())) >= cap) {
            excluded.add(channel.id);
            const tomorrow = o.nextDayStart(o.now());
            wakeAt = wakeAt === null ? tomorrow : Math.min(wakeAt, tomorrow);
            continue;
          }
          const { limiter, spacing } = pacingOf(channel.id);
          const earliest = spacing.earliest(row.toPhone);
          if (earliest > o.now()) {
            deferMessage(o.db, id, earliest);
            continue;
          }
          // Something more urgent became due while this batch was going out (a reminder during a campaign): look
          // again from the top instead of finishing the less urgent batch first.
          if (moreUrgentDue(o.db, o.now(), row.priority, usable())) {
            again = true;
            break;
          }
          if (!passes(row)) continue;
          const admission = channel.admit?.(row) ?? { ok: true };
          if (!admission.ok) {
            // The channel's own budget says wait: keep the message queued (not `sending`) until then.
            if (admission.notBefore === null) excluded.add(channel.id);
            else deferMessage(o.db, id, admission.notBefore);
            continue;
          }
          await limiter.take();
          const limit = Math.min(o.maxInFlight, o.inFlightFor?.(channel.id) ?? o.maxInFlight);
          while (inFlight.size >= limit) await Promise.race(inFlight);
          // Asked again after pacing and the daily cap, in the same tick as the move to `sending`: they can push a
          // message into quiet hours, and an opt-out recorded meanwhile must find it still queued.
          if (!passes(row)) continue;
          addSendCount(o.db, channel.id, o.dayOf(o.now()));
          // Held from now, so nothing else to this recipient overtakes it while it is prepared and in flight.
          spacing.record(row.toPhone, o.now());
          // A write that fails here (disk full, file locked) is reported, not left to reject unwatched: the promise
          // leaves the in-flight set before anyone awaits it.
          const sending: Promise<void> = sendOne(channel, row)
            .catch((error: unknown) => {
              if (!o.onStorageError) throw error;
              o.onStorageError(error);
            })
            .finally(() => inFlight.delete(sending));
          inFlight.add(sending);
          again = true;
        }
        // Wait for this batch before looking again, so retries and deferrals are seen with their new times.
        await Promise.all(inFlight);
      } while (again);
    } finally {
      await Promise.all(inFlight);
      if (active()) {
        const ready = usable();
        const next = ready.length ? nextDueAt(o.db, ready) : null;
        const times = [next, wakeAt].filter((t): t is number => t !== null);
        schedule(times.length ? Math.min(...times) : null);
      }
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    const guarded = o.onStorageError ? loop().catch((error: unknown) => o.onStorageError?.(error)) : loop();
    const pass: Promise<void> = guarded.finally(() => {
      if (running === pass) running = null;
    });
    running = pass;
    return pass;
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

const allChannels: ChannelId[] = ['demo', 'cloud-api', 'linked-device', 'email'];

/** Routes every message through one channel, whatever its row says (tests and benchmarks). */
export function throughOneChannel(get: () => Channel | null): Pick<DispatcherOptions, 'channelFor' | 'readyChannels'> {
  return { channelFor: () => get(), readyChannels: () => (get() ? allChannels : []) };
}
