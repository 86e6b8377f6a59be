/** The clock a limiter waits on: real time in the app, a fake one in tests. */
export interface PacingClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacingClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WINDOW_MS = 1000;
// How often a fast pace wakes up: 5 ms is 5 messages a wake-up at 1,000/s; a slow pace still wakes for each one.
const TICK_MS = 5;

/**
 * At most `perSecond` takes in any one-second window, and close to that many when asked for more. A rate of 0 or less
 * means no limit; `take` resolves when the message may go.
 *
 * Tokens are refilled by the time that actually passed, not by counting timer wake-ups: a timer cannot fire more often
 * than every millisecond or so and fires late on a busy machine, so one timer per message loses rate. Whatever a late
 * wake-up earned goes out at once, up to `burstSeconds` of the rate: enough for a timer that a loaded machine fires
 * tens of milliseconds late (a smaller bucket overflows while it waits, and that rate is lost). A bucket alone would
 * allow its burst on top of a full second's refill; the moments of the last `perSecond` takes are kept so that no
 * window ever holds more than the limit (Meta counts per second).
 */
export function rateLimiter(
  perSecond: () => number,
  clock: PacingClock = realClock,
  burstSeconds = 0.1,
): { take(): Promise<void> } {
  let tokens = 1;
  let last = clock.now();
  // The moments of recent takes, oldest first, from `head` on (a queue without shifting the array on every take).
  const taken: number[] = [];
  let head = 0;
  const record = (t: number, perWindow: number) => {
    taken.push(t);
    while (taken.length - head > perWindow) head++;
    if (head > 4096) {
      taken.splice(0, head);
      head = 0;
    }
  };
  return {
    async take() {
      for (;;) {
        const rate = perSecond();
        if (rate <= 0) return;
        const t = clock.now();
        const burst = Math.max(1, Math.floor(rate * burstSeconds), Math.floor((rate * TICK_MS) / 1000));
        tokens = Math.min(burst, tokens + ((t - last) * rate) / 1000);
        last = t;
        const perWindow = Math.max(1, Math.floor(rate));
        const held = taken.length - head;
        // The take `perWindow` back must have left the window that would end with this one.
        const windowOpensAt = held < perWindow ? t : (taken[taken.length - perWindow] ?? t) + WINDOW_MS;
        if (tokens >= 1 && windowOpensAt <= t) {
          tokens -= 1;
          record(t, perWindow);
          return;
        }
        // Out of tokens: sleep until a tick's worth has built up, so each wake-up releases a few messages.
        const perTick = Math.max(1, Math.floor((rate * TICK_MS) / 1000));
        const tokenWait = tokens >= 1 ? 0 : ((perTick - tokens) * 1000) / rate;
        await clock.sleep(Math.max(tokenWait, windowOpensAt - t));
      }
    },
  };
}

/** Remembers when each recipient last got a message, so the next one keeps its distance. */
export function recipientSpacing(gapMs: () => number) {
  const last = new Map<string, number>();
  return {
    /** The earliest time a message to this recipient may go, given what went before. */
    earliest(phone: string): number {
      return (last.get(phone) ?? -Infinity) + gapMs();
    },
    record(phone: string, at: number): void {
      last.set(phone, at);
      // Forget recipients whose gap has long passed, so the map stays small on a busy day.
      if (last.size > 10_000) {
        const horizon = at - gapMs();
        for (const [p, t] of last) if (t < horizon) last.delete(p);
      }
    },
  };
}

/**
 * Sends that must be in flight to keep `perSecond` going when each takes `latencyMs` (Little's law), with half again
 * as headroom for latency spikes; at least one. A pace with no limit keeps the ceiling.
 */
export function inFlightFor(perSecond: number, latencyMs: number, ceiling: number): number {
  if (perSecond <= 0) return ceiling;
  return Math.max(1, Math.min(ceiling, Math.ceil(perSecond * (latencyMs / 1000) * 1.5)));
}

/**
 * What one channel achieves: a moving average of how long a send takes (to size the sends in flight) and how many
 * the provider accepted in the last few seconds (the rate a person sees next to the configured pace).
 */
export function sendMeter(now: () => number, windowMs = 10_000, initialLatencyMs = 250) {
  let latency = initialLatencyMs;
  const accepted: number[] = [];
  const forget = (at: number) => {
    while (accepted.length && (accepted[0] ?? 0) <= at - windowMs) accepted.shift();
  };
  return {
    record(ms: number, ok: boolean): void {
      // A slow answer weighs in quickly, a fast one slowly: running short of sends in flight costs more than extra ones.
      latency += (ms - latency) * (ms > latency ? 0.3 : 0.05);
      if (!ok) return;
      const at = now();
      accepted.push(at);
      forget(at);
    },
    latencyMs: (): number => latency,
    /** Accepted sends per second over the window (0 when idle). */
    perSecond(): number {
      forget(now());
      return Math.round((accepted.length * 10_000) / windowMs) / 10;
    },
  };
}
