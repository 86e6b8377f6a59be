import { describe, expect, it } from 'vitest';
import { rateLimiter, type PacingClock } from '../../src/main/core/outbox/pacing';

// The pace a channel keeps: as close to the limit as asked, never over it in any one-second window, whatever the
// timers do. A fake clock: sleeping moves time on, by at least what was asked and as late as the machine makes it.

function fakeClock(lateBy: (asked: number) => number = () => 0): PacingClock & { sleeps: number } {
  let t = 0;
  const clock = {
    sleeps: 0,
    now: () => t,
    sleep: async (ms: number) => {
      clock.sleeps++;
      // A timer never fires before 1 ms, and a busy machine fires it later still.
      t += Math.max(1, ms) + lateBy(ms);
    },
  };
  return clock;
}

async function takeTimes(count: number, perSecond: () => number, clock: PacingClock): Promise<number[]> {
  const limiter = rateLimiter(perSecond, clock);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await limiter.take();
    times.push(clock.now());
  }
  return times;
}

/** The most takes inside any one-second window [t, t + 1000). */
function busiestSecond(times: number[]): number {
  let most = 0;
  let first = 0;
  times.forEach((t, i) => {
    while ((times[first] ?? t) <= t - 1000) first++;
    most = Math.max(most, i - first + 1);
  });
  return most;
}

describe('rate limiter', () => {
  it('keeps 1,000 a second within 5 % and never goes over in any second', async () => {
    const clock = fakeClock();
    const times = await takeTimes(10_000, () => 1000, clock);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(10_000 / (span / 1000)).toBeGreaterThanOrEqual(950);
    expect(busiestSecond(times)).toBeLessThanOrEqual(1000);
    // Small bursts per wake-up (a few messages each), not one timer per message.
    expect(clock.sleeps).toBeLessThanOrEqual(10_000 / 4);
  });

  it('loses no rate to timers that fire late, and still never goes over', async () => {
    let n = 0;
    // Every third timer fires 3–15 ms late, as on a loaded machine.
    const clock = fakeClock(() => (n++ % 3 === 0 ? 3 + (n % 13) : 0));
    const times = await takeTimes(10_000, () => 1000, clock);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(10_000 / (span / 1000)).toBeGreaterThanOrEqual(950);
    expect(busiestSecond(times)).toBeLessThanOrEqual(1000);
  });

  it('keeps the pace when the machine is so loaded that timers fire 30–60 ms late', async () => {
    let n = 0;
    const clock = fakeClock(() => 30 + ((n++ * 7) % 31));
    const times = await takeTimes(10_000, () => 1000, clock);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(10_000 / (span / 1000)).toBeGreaterThanOrEqual(950);
    expect(busiestSecond(times)).toBeLessThanOrEqual(1000);
  });

  it('follows a pace changed while sending, and a slow pace goes one by one', async () => {
    let rate = 1000;
    const clock = fakeClock();
    const limiter = rateLimiter(() => rate, clock);
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i === 1500) rate = 80;
      await limiter.take();
      times.push(clock.now());
    }
    expect(busiestSecond(times.slice(1500))).toBeLessThanOrEqual(80);
    expect(busiestSecond(times)).toBeLessThanOrEqual(1000);
    const slow = await takeTimes(10, () => 4, fakeClock());
    expect(slow.slice(1).map((t, i) => t - (slow[i] ?? 0))).toEqual(Array(9).fill(250));
  });

  it('does not wait at all without a limit', async () => {
    const clock = fakeClock();
    await takeTimes(1000, () => 0, clock);
    expect(clock.sleeps).toBe(0);
  });
});
