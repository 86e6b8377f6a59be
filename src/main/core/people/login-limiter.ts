// Sign-in attempts, counted per account and per network address: after a few failures each next attempt must wait
// longer (doubling), and past a limit the account or the address is locked for a while. The counters live where the
// caller says: the app keeps them in its database, so restarting it (or making it crash) never lifts a lockout.

/** Where the counters are kept, by key ('account:…' or 'address:…'). */
export interface CounterStore {
  get(key: string): Counter | null;
  put(key: string, counter: Counter): void;
  delete(key: string): void;
  /** Optional housekeeping: drop counters with no lockout and no failure since `before`. */
  forgetStale?(before: number, at: number): void;
}

/** Counters in memory only: for tests of the rule itself. */
export function memoryCounters(): CounterStore {
  const map = new Map<string, Counter>();
  return {
    get: (key) => {
      const c = map.get(key);
      return c ? { ...c } : null;
    },
    put: (key, c) => void map.set(key, { ...c }),
    delete: (key) => void map.delete(key),
  };
}

export interface LimiterOptions {
  now: () => number;
  /** In memory unless given. */
  counters?: CounterStore;
  /** Failures of one account before it is locked. */
  accountLimit?: number;
  /** Failures from one address (any account) before it is locked. */
  addressLimit?: number;
  /** Failures allowed without waiting; each one after that doubles the wait. */
  freeFailures?: number;
  backoffBaseMs?: number;
  lockoutMs?: number;
  /** Failures older than this are forgotten. */
  windowMs?: number;
}

export type LimitVerdict =
  | { ok: true }
  | { ok: false; code: 'locked' | 'slow_down'; on: 'account' | 'address'; retryAt: number };

export interface Counter {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export interface LoginLimiter {
  /** Asked before the secret is even checked. */
  check(account: string, address: string): LimitVerdict;
  /** A wrong secret: says whether this failure locked the account or the address. */
  failed(account: string, address: string): { locked: ('account' | 'address')[] };
  succeeded(account: string, address: string): void;
}

export function loginLimiter(o: LimiterOptions): LoginLimiter {
  const accountLimit = o.accountLimit ?? 5;
  const addressLimit = o.addressLimit ?? 20;
  const freeFailures = o.freeFailures ?? 2;
  const base = o.backoffBaseMs ?? 1_000;
  const lockoutMs = o.lockoutMs ?? 15 * 60_000;
  const windowMs = o.windowMs ?? 15 * 60_000;
  const store = o.counters ?? memoryCounters();
  const accountKey = (account: string) => `account:${account}`;
  const addressKey = (address: string) => `address:${address}`;

  /** The counter as it stands at `at`: one with no lockout and no recent failure counts from zero again. */
  const counter = (key: string, at: number): Counter => {
    const c = store.get(key);
    if (c && (c.lockedUntil > at || at - c.lastFailure < windowMs)) return c;
    return { failures: 0, lastFailure: 0, lockedUntil: 0 };
  };

  const verdict = (c: Counter, on: 'account' | 'address', at: number, free: number): LimitVerdict | null => {
    if (c.lockedUntil > at) return { ok: false, code: 'locked', on, retryAt: c.lockedUntil };
    if (c.failures > free) {
      const retryAt = c.lastFailure + base * 2 ** (c.failures - free - 1);
      if (at < retryAt) return { ok: false, code: 'slow_down', on, retryAt };
    }
    return null;
  };

  return {
    check(account, address) {
      const at = o.now();
      return (
        verdict(counter(accountKey(account), at), 'account', at, freeFailures) ??
        verdict(counter(addressKey(address), at), 'address', at, freeFailures * 3) ?? { ok: true }
      );
    },
    failed(account, address) {
      const at = o.now();
      const locked: ('account' | 'address')[] = [];
      const bump = (key: string, limit: number, on: 'account' | 'address') => {
        const c = counter(key, at);
        c.failures += 1;
        c.lastFailure = at;
        if (c.failures >= limit && c.lockedUntil <= at) {
          c.lockedUntil = at + lockoutMs;
          locked.push(on);
        }
        store.put(key, c);
      };
      store.forgetStale?.(at - windowMs, at);
      bump(accountKey(account), accountLimit, 'account');
      bump(addressKey(address), addressLimit, 'address');
      return { locked };
    },
    succeeded(account) {
      // The address keeps its count: one right guess must not reset a spray over many accounts.
      store.delete(accountKey(account));
    },
  };
}
