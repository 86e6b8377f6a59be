// Revocation answers kept in memory while they are still current, so a batch of documents signed with the same
// certificate asks its OCSP responder (or downloads its CRL) once, not once per document. An OCSP response or a CRL
// says how long it holds (nextUpdate): it is reused strictly before that moment and fetched again from then on. One
// without a nextUpdate ("newer information is always available", RFC 6960 §2.4) is never kept. Only answers that let
// a signature go on are kept (a good OCSP status, a verified CRL); a revoked certificate is asked about every time.

export interface KeptAnswer {
  /** DER of the OCSP response or of the CRL, as it goes into the DSS. */
  der: Buffer;
  /** Epoch ms of the answer's nextUpdate. */
  until: number;
}

export interface RevocationCache {
  /** The answer under `key` if it is still current at `now`, else null (and a stale one is dropped). */
  get(key: string, now: number): KeptAnswer | null;
  /** Keeps an answer until its nextUpdate; ignored when it has none or it has already passed. */
  keep(key: string, der: Buffer, nextUpdate: Date | undefined, now: number): void;
}

/** Enough for every certificate a clinic signs with and their issuers; the oldest entry goes first when full. */
const DEFAULT_LIMIT = 256;

export function revocationCache(limit = DEFAULT_LIMIT): RevocationCache {
  const kept = new Map<string, KeptAnswer>();
  return {
    get(key, now) {
      const answer = kept.get(key);
      if (!answer) return null;
      if (now >= answer.until) {
        kept.delete(key);
        return null;
      }
      return answer;
    },
    keep(key, der, nextUpdate, now) {
      if (!nextUpdate) return;
      const until = nextUpdate.getTime();
      if (!Number.isFinite(until) || until <= now) return;
      kept.delete(key);
      if (kept.size >= limit) {
        const oldest = kept.keys().next();
        if (!oldest.done) kept.delete(oldest.value);
      }
      kept.set(key, { der, until });
    },
  };
}
