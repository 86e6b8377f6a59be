import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppStatus, ArgsOf, AvisaEvents, EventName, HandlerName, ResultOf } from '../../../shared/api';
import { ApiError, call, onEventsReopened, subscribe, toApiError } from './client';

const MIN_REFRESH_MS = 1_000;
const FALLBACK_REFRESH_MS = 15_000;

/**
 * The app's status as the core pushes it: each `status.changed` is applied at once. Answers a count that grows when
 * the status should be asked for again: the event stream came back (what changed meanwhile sent no event), or nothing
 * was heard for a while (a safety net if the stream is down: the header never gets older than that).
 */
export function useStatusEvents(onStatus: (status: AppStatus) => void, enabled: boolean): number {
  const [stale, setStale] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let last = Date.now();
    const askAgain = (): void => {
      last = Date.now();
      setStale((n) => n + 1);
    };
    const unsubscribe = subscribe((event) => {
      last = Date.now();
      if (event.name === 'status.changed') onStatus(event.data);
    });
    const offReopened = onEventsReopened(askAgain);
    const fallback = setInterval(() => {
      if (Date.now() - last >= FALLBACK_REFRESH_MS) askAgain();
    }, FALLBACK_REFRESH_MS / 3);
    return () => {
      unsubscribe();
      offReopened();
      clearInterval(fallback);
    };
  }, [onStatus, enabled]);
  return stale;
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
  /** True until the first answer for the current arguments (reloads keep showing the old data). */
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `name(args)`, again when the arguments change, and on `reload()`. Data that others change (another
 * workstation, the core itself) is loaded with useLiveCall, which also reloads on the events that change it.
 */
export function useCall<N extends HandlerName>(name: N, args: ArgsOf<N>): CallState<ResultOf<N>> {
  // Arguments are compared by value: callers build a fresh object on every render.
  const key = JSON.stringify(args);
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
  }, [name, key, manual]);

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
  const state = useCall(name, args);
  useChangedBy(events, state.reload);
  return state;
}
