import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/client';

interface Toast {
  id: number;
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

interface Notify {
  ok(text: string): void;
  warn(text: string): void;
  /** Shows the API's own message: it is already in the user's language. */
  error(error: unknown): void;
  /** Closes every note (the person moved to another page: what they said was about the old one). */
  clear(): void;
}

const NotifyContext = createContext<Notify>({
  ok: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  clear: () => undefined,
});

export function useNotify(): Notify {
  return useContext(NotifyContext);
}

const OK_VISIBLE_MS = 4_000;
const WARN_VISIBLE_MS = 12_000;

export function NotifyProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const push = useCallback(
    (kind: Toast['kind'], text: string) => {
      const id = nextId.current++;
      // A later outcome replaces earlier ones (a fix's success supersedes the warning before it); errors stay.
      setToasts((list) => [...list.filter((toast) => toast.kind === 'error').slice(-2), { id, kind, text }]);
      // Errors stay until closed so nobody misses why something did not happen.
      if (kind === 'ok') setTimeout(() => dismiss(id), OK_VISIBLE_MS);
      if (kind === 'warn') setTimeout(() => dismiss(id), WARN_VISIBLE_MS);
    },
    [dismiss],
  );
  const notify = useMemo<Notify>(
    () => ({
      ok: (text) => push('ok', text),
      warn: (text) => push('warn', text),
      error: (error) => push('error', toApiError(error).message),
      clear: () => setToasts([]),
    }),
    [push],
  );

  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'ok' ? 'status' : 'alert'}>
            <span>{toast.text}</span>
            <button type="button" className="link" onClick={() => dismiss(toast.id)} aria-label={t('common.close')}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

/** Runs a user action: one at a time, failures shown as a toast. Resolves to the result, or undefined on failure. */
export function useAction(): [<T>(action: () => Promise<T>) => Promise<T | undefined>, boolean] {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      try {
        return await action();
      } catch (error) {
        notify.error(error);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [notify],
  );
  return [run, busy];
}
