import { useEffect } from 'react';

/**
 * Locks after a stretch without keyboard, mouse or touch. The clock and the check are injected, so the rule can be
 * tested without waiting: `activity()` on input, `check()` now and then, `onLock` once per idle stretch.
 */
export function idleLock(o: { now: () => number; timeoutMs: number; onLock: () => void }) {
  let last = o.now();
  let locked = false;
  return {
    activity() {
      last = o.now();
      locked = false;
    },
    check() {
      if (locked || o.timeoutMs <= 0) return;
      if (o.now() - last >= o.timeoutMs) {
        locked = true;
        o.onLock();
      }
    },
  };
}

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** The desktop's auto-lock: after `minutes` idle (0: never) the person is signed out; sending goes on in the core. */
export function useIdleLock(minutes: number, onLock: () => void): void {
  useEffect(() => {
    if (minutes <= 0) return undefined;
    const lock = idleLock({ now: Date.now, timeoutMs: minutes * 60_000, onLock });
    const onActivity = () => lock.activity();
    for (const e of EVENTS) window.addEventListener(e, onActivity, { passive: true });
    const timer = setInterval(() => lock.check(), 15_000);
    return () => {
      for (const e of EVENTS) window.removeEventListener(e, onActivity);
      clearInterval(timer);
    };
  }, [minutes, onLock]);
}
