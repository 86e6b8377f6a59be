/**
 * One send at a time, each a fresh random gap after the one before, as a person at the phone would. A message may
 * also claim its slot ahead (`admit`), so the dispatcher can leave it queued instead of waiting in `sending`.
 */
export function pacer(o: { gapMs: () => number; now: () => number }) {
  let nextFree = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const granted = new Set<number>();

  const take = (): void => {
    nextFree = o.now() + o.gapMs();
  };

  return {
    /** When the next unclaimed send may start. */
    nextFreeAt: (): number => nextFree,

    /** Claims the slot for a message if it is free now; otherwise says when it will be. */
    admit(id: number): { ok: true } | { ok: false; at: number } {
      if (granted.has(id)) return { ok: true };
      if (o.now() < nextFree) return { ok: false, at: nextFree };
      take();
      granted.add(id);
      return { ok: true };
    },

    /** Runs a send in turn: at once if it claimed its slot, otherwise after waiting for the next free one. */
    run<T>(id: number, work: () => Promise<T>): Promise<T> {
      const turn = chain.then(async () => {
        if (!granted.delete(id)) {
          const wait = nextFree - o.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          take();
        }
        return work();
      });
      // A failed send must not block the ones after it.
      chain = turn.catch(() => undefined);
      return turn;
    },

    /** Forgets a claim that will not be used (the message was cancelled between the claim and the send). */
    release(id: number): void {
      granted.delete(id);
    },
  };
}

export type Pacer = ReturnType<typeof pacer>;
