import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { AppStatus, ArgsOf, AvisaEvents, EventName, HandlerName, ResultOf } from '../../../shared/api';
import { ApiError, call, onEventsReopened, subscribe, toApiError } from './client';

/** Grows (at most about once a second) when the core reports a change; pages reload when it moves. */
export const LiveTickContext = createContext(0);

export function useLiveTick(): number {
  return useContext(LiveTickContext);
}

const MIN_REFRESH_MS = 1_000;
const FALLBACK_REFRESH_MS = 15_000;

/**
 * Listens to the core's events. `status.changed` carries the new status, so it is applied at once; any event
 * also bumps the tick, throttled so a burst of sends cannot make every page reload many times a second.
 */
export function useLiveEvents(onStatus: (status: AppStatus) => void, enabled: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = Date.now();
    const bump = (): void => {
      timer = null;
      last = Date.now();
      setTick((t) => t + 1);
    };
    const schedule = (): void => {
      timer ??= setTimeout(bump, Math.max(0, last + MIN_REFRESH_MS - Date.now()));
    };
    const unsubscribe = subscribe((event) => {
      if (event.name === 'status.changed') onStatus(event.data);
      schedule();
    });
    // What was loaded before the stream opened (or while it was down) may have missed an event: load it again.
    const offOpened = onEventsReopened(schedule);
    // A safety net if the event stream is down (server restarted, proxy): data never gets older than this.
    const fallback = setInterval(() => {
      if (!timer && Date.now() - last >= FALLBACK_REFRESH_MS) bump();
    }, FALLBACK_REFRESH_MS / 3);
    return () => {
      unsubscribe();
      offOpened();
      clearInterval(fallback);
      if (timer) clearTimeout(timer);
    };
  }, [onStatus, enabled]);
  return tick;
}

/** Calls `onEvent` with every `name` event the core pushes while the component is shown (and `enabled`). */
export function useEvent<N extends EventName>(name: N, onEvent: (data: AvisaEvents[N]) => void, enabled = true): void {
  // The latest handler, so a new closure on every render does not resubscribe.
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    return subscribe((event) => {
      // `name` matched, so the payload is this event's (TypeScript cannot narrow a union by a generic name).
      if (event.name === name) handler.current(event.data as AvisaEvents[N]);
    });
  }, [name, enabled]);
}

export interface CallState<T> {
  data: T | undefined;
  error: ApiError | null;
  /** True until the first answer for the current arguments (live refreshes keep showing the old data). */
  loading: boolean;
  reload: () => void;
}

/** Loads `name(args)` and reloads it when the arguments change, on live events, or on `reload()`. */
export function useCall<N extends HandlerName>(name: N, args: ArgsOf<N>, live = true): CallState<ResultOf<N>> {
  // Arguments are compared by value: callers build a fresh object on every render.
  const key = JSON.stringify(args);
  const tick = useLiveTick();
  const liveTick = live ? tick : 0;
  const [manual, setManual] = useState(0);
  const [state, setState] = useState<{ key: string; data: ResultOf<N> | undefined; error: ApiError | null }>({
    key: '',
    data: undefined,
    error: null,
  });

  useEffect(() => {
    let current = true;
    call(name, JSON.parse(key) as ArgsOf<N>).then(
      (data) => {
        if (current) setState({ key, data, error: null });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ key, data: s.data, error: toApiError(error) }));
      },
    );
    return () => {
      current = false;
    };
  }, [name, key, liveTick, manual]);

  const reload = useCallback(() => setManual((m) => m + 1), []);
  return { data: state.data, error: state.error, loading: state.key !== key, reload };
}

/** Waits until typing stops before a search hits the core. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Calls `onChange` when one of `events` arrives, at most once a second: a burst of sends moves many messages, and a
 * list should load again once, not once per message.
 */
export function useChangedBy(events: readonly EventName[], onChange: () => void): void {
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  });
  // Compared by value: callers pass a fresh array on every render.
  const key = events.join(' ');
  useEffect(() => {
    const names = new Set(key.split(' '));
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const fire = (): void => {
      timer = null;
      last = Date.now();
      handler.current();
    };
    const schedule = (): void => {
      timer ??= setTimeout(fire, Math.max(0, last + MIN_REFRESH_MS - Date.now()));
    };
    const unsubscribe = subscribe((event) => {
      if (names.has(event.name)) schedule();
    });
    // A change made before the stream opened, or while it was down, sent no event here: reload once it is (back) up.
    const offReopened = onEventsReopened(schedule);
    return () => {
      unsubscribe();
      offReopened();
      if (timer) clearTimeout(timer);
    };
  }, [key]);
}

/** Loads `name(args)` like useCall, and loads it again only when one of `events` (those that change it) arrives. */
export function useLiveCall<N extends HandlerName>(name: N, args: ArgsOf<N>, events: readonly EventName[]): CallState<ResultOf<N>> {
  const state = useCall(name, args, false);
  useChangedBy(events, state.reload);
  return state;
}
