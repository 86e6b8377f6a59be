import { useCallback, useEffect, useState } from 'react';
import type { LinkedDeviceView } from '../../../shared/api';
import { call, onEventsReopened, toApiError, type ApiError } from './client';
import { useEvent } from './hooks';
import { useLatest } from './useLatest';

export type LinkedState = LinkedDeviceView['connection']['state'];

export interface LinkedDeviceState {
  /** Null until loaded, and while another channel is chosen. */
  view: LinkedDeviceView | null;
  error: ApiError | null;
  loaded: boolean;
  /**
   * Shows a view the core just returned (link, unlink, reconnect) without asking again. With `askedAt` (what `ask()`
   * said when the action was sent) it is dropped if a newer view came meanwhile: the phone may connect, and say so,
   * before the answer to "reconnect" arrives.
   */
  apply: (view: LinkedDeviceView | null, askedAt?: number) => void;
  /** Stamps an action as it is sent, for `apply` to know what came after it. */
  ask: () => number;
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
 * every ~20 s), and asked again when events may have been missed (the stream first opened, or the server said resync).
 */
export function useLinkedDevice(enabled: boolean): LinkedDeviceState {
  const [manual, setManual] = useState(0);
  const [state, setState] = useState<Loaded>(NOTHING);
  // A load or an action that started before a pushed view must not overwrite it with older data.
  const latest = useLatest();

  const apply = useCallback(
    (view: LinkedDeviceView | null, askedAt?: number) => {
      if (askedAt === undefined) latest.push();
      else if (!latest.answer(askedAt)) return;
      setState({ view, error: null, loaded: true });
    },
    [latest],
  );
  const pushed = useCallback((view: LinkedDeviceView | null) => apply(view), [apply]);
  useEvent('linkedDevice.changed', pushed, enabled);
  const ask = useCallback(() => latest.ask(), [latest]);

  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    const asked = latest.ask();
    call('linkedDevice.view', {}).then(
      (view) => {
        if (current && latest.answer(asked)) setState({ view, error: null, loaded: true });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ ...s, error: toApiError(error), loaded: true }));
      },
    );
    return () => {
      current = false;
    };
  }, [enabled, manual, latest]);

  const reload = useCallback(() => setManual((m) => m + 1), []);
  useEffect(() => (enabled ? onEventsReopened(reload) : undefined), [enabled, reload]);
  return { ...(enabled ? state : NOTHING), apply, ask, reload };
}
