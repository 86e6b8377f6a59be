import { useCallback, useEffect, useRef, useState } from 'react';
import type { LinkedDeviceView } from '../../../shared/api';
import { call, onEventsReopened, toApiError, type ApiError } from './client';
import { useEvent } from './hooks';

export type LinkedState = LinkedDeviceView['connection']['state'];

export interface LinkedDeviceState {
  /** Null until loaded, and while another channel is chosen. */
  view: LinkedDeviceView | null;
  error: ApiError | null;
  loaded: boolean;
  /**
   * Shows a view the core just returned (link, unlink, reconnect) without asking again. With `askedAt` (what `seen()`
   * said when the action was sent) it is dropped if a newer view came meanwhile: the phone may connect, and say so,
   * before the answer to "reconnect" arrives.
   */
  apply: (view: LinkedDeviceView | null, askedAt?: number) => void;
  /** How many views have been shown so far. */
  seen: () => number;
  reload: () => void;
}

interface Loaded {
  view: LinkedDeviceView | null;
  error: ApiError | null;
  loaded: boolean;
}

const NOTHING: Loaded = { view: null, error: null, loaded: false };

/**
 * The clinic's phone as the core sees it: loaded once, then replaced by every `linkedDevice.changed` (the QR changes
 * every ~20 s), and asked again when the event stream comes back (a change while it was down sent no event).
 */
export function useLinkedDevice(enabled: boolean): LinkedDeviceState {
  const [manual, setManual] = useState(0);
  const [state, setState] = useState<Loaded>(NOTHING);
  // Grows with every pushed or returned view: a load that started before one must not overwrite it with older data.
  const version = useRef(0);

  const apply = useCallback((view: LinkedDeviceView | null, askedAt?: number) => {
    if (askedAt !== undefined && version.current !== askedAt) return;
    version.current += 1;
    setState({ view, error: null, loaded: true });
  }, []);
  const pushed = useCallback((view: LinkedDeviceView | null) => apply(view), [apply]);
  useEvent('linkedDevice.changed', pushed, enabled);
  const seen = useCallback(() => version.current, []);

  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    const started = version.current;
    call('linkedDevice.view', {}).then(
      (view) => {
        if (current && version.current === started) setState({ view, error: null, loaded: true });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ ...s, error: toApiError(error), loaded: true }));
      },
    );
    return () => {
      current = false;
    };
  }, [enabled, manual]);

  const reload = useCallback(() => setManual((m) => m + 1), []);
  useEffect(() => (enabled ? onEventsReopened(reload) : undefined), [enabled, reload]);
  return { ...(enabled ? state : NOTHING), apply, seen, reload };
}
