import { describe, expect, it } from 'vitest';
import { revocationCache } from '../../src/main/core/documents/revocation-cache';

// The rule the signer relies on: an answer is reused strictly before its nextUpdate and never from that moment on.
describe('revocation answers kept in memory', () => {
  const T = Date.UTC(2026, 11, 4, 17, 0, 0);
  const der = Buffer.from('3003020100', 'hex');

  it('gives back an answer before its nextUpdate, and drops it at that very moment', () => {
    const cache = revocationCache();
    cache.keep('ocsp:a', der, new Date(T + 60_000), T);
    expect(cache.get('ocsp:a', T + 59_999)?.der).toEqual(der);
    expect(cache.get('ocsp:a', T + 60_000)).toBeNull();
    // Dropped, not just hidden: a clock set back does not bring it back.
    expect(cache.get('ocsp:a', T)).toBeNull();
  });

  it('keeps nothing without a nextUpdate, or already past it', () => {
    const cache = revocationCache();
    cache.keep('ocsp:none', der, undefined, T);
    cache.keep('ocsp:past', der, new Date(T - 1), T);
    cache.keep('ocsp:now', der, new Date(T), T);
    expect(cache.get('ocsp:none', T)).toBeNull();
    expect(cache.get('ocsp:past', T)).toBeNull();
    expect(cache.get('ocsp:now', T)).toBeNull();
  });

  it('holds a bounded number of answers, the oldest leaving first', () => {
    const cache = revocationCache(2);
    for (const key of ['a', 'b', 'c']) cache.keep(key, der, new Date(T + 60_000), T);
    expect(cache.get('a', T)).toBeNull();
    expect(cache.get('b', T)).not.toBeNull();
    expect(cache.get('c', T)).not.toBeNull();
  });
});
