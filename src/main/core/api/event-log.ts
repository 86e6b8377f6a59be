import { randomBytes } from 'node:crypto';
import type { AvisaEvent } from '../../../shared/api';

export interface NumberedEvent {
  /** `<run>-<sequence>`: a client sends the last one back (SSE Last-Event-ID) to resume where it stopped. */
  id: string;
  event: AvisaEvent;
}

/**
 * Numbers the core's live events and keeps the latest ones, so a client that lost its connection (an integrator's
 * script, a browser after a network cut) gets what it missed instead of a silent hole. Ids carry this run's mark:
 * after a restart, or once an id is older than what is kept, the client is told to reload instead.
 */
export function eventLog(subscribe: (listener: (event: AvisaEvent) => void) => () => void, capacity = 5000) {
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const kept: { sequence: number; event: AvisaEvent }[] = [];
  const listeners = new Set<(e: NumberedEvent) => void>();
  const unsubscribe = subscribe((event) => {
    sequence += 1;
    kept.push({ sequence, event });
    if (kept.length > capacity) kept.shift();
    const numbered = { id: `${run}-${sequence}`, event };
    for (const listener of listeners) listener(numbered);
  });
  return {
    /** What came after `lastId`; null when that cannot be known (another run, or older than what is kept). */
    since(lastId: string): NumberedEvent[] | null {
      const match = /^([0-9a-f]+)-(\d+)$/.exec(lastId.trim());
      if (!match || match[1] !== run) return null;
      const last = Number(match[2]);
      if (last > sequence) return null;
      const oldest = kept[0]?.sequence ?? sequence + 1;
      if (last < oldest - 1) return null;
      return kept.filter((k) => k.sequence > last).map((k) => ({ id: `${run}-${k.sequence}`, event: k.event }));
    },
    listen(listener: (e: NumberedEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: unsubscribe,
  };
}

export type EventLog = ReturnType<typeof eventLog>;
