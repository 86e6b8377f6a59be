/**
 * A token bucket: at most `perSecond` takes per second on average, with bursts of at most `burst`. `take` resolves
 * when a token is free. A rate of 0 or less means no limit.
 */
export function rateLimiter(perSecond: () => number, burstSeconds = 0.05): { take(): Promise<void> } {
  // A burst of a small fraction of a second: timers cannot wake more often than every millisecond or so.
  const burstOf = (rate: number) => Math.max(1, Math.floor(rate * burstSeconds));
  let tokens = 1;
  let last = performance.now();
  return {
    async take() {
      for (;;) {
        const rate = perSecond();
        if (rate <= 0) return;
        const t = performance.now();
        tokens = Math.min(burstOf(rate), tokens + ((t - last) * rate) / 1000);
        last = t;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) * 1000) / rate)));
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
