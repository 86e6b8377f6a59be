// Sign-in attempts, counted per account and per network address: after a few failures each next attempt must wait
// longer (doubling), and past a limit the account or the address is locked for a while. Kept in memory: a restart
// forgets the counts, which an attacker cannot cause from outside.

export interface LimiterOptions {
  now: () => number;
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

interface Counter {
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
  const accounts = new Map<string, Counter>();
  const addresses = new Map<string, Counter>();

  const counter = (map: Map<string, Counter>, key: string, at: number): Counter => {
    const c = map.get(key);
    if (c && (c.lockedUntil > at || at - c.lastFailure < windowMs)) return c;
    const fresh = { failures: 0, lastFailure: 0, lockedUntil: 0 };
    map.set(key, fresh);
    return fresh;
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
        verdict(counter(accounts, account, at), 'account', at, freeFailures) ??
        verdict(counter(addresses, address, at), 'address', at, freeFailures * 3) ?? { ok: true }
      );
    },
    failed(account, address) {
      const at = o.now();
      const locked: ('account' | 'address')[] = [];
      const bump = (c: Counter, limit: number, on: 'account' | 'address') => {
        c.failures += 1;
        c.lastFailure = at;
        if (c.failures >= limit && c.lockedUntil <= at) {
          c.lockedUntil = at + lockoutMs;
          locked.push(on);
        }
      };
      bump(counter(accounts, account, at), accountLimit, 'account');
      bump(counter(addresses, address, at), addressLimit, 'address');
      return { locked };
    },
    succeeded(account) {
      // The address keeps its count: one right guess must not reset a spray over many accounts.
      accounts.delete(account);
    },
  };
}
