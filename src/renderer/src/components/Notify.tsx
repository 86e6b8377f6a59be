import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/client';
import { afterNote, type NoteAction, type Toast } from './notes';
import './notify.css';


interface Notify {
  ok(text: string, topic?: string): void;
  warn(text: string, topic?: string, action?: NoteAction): void;
  /** Shows the API's own message: it is already in the user's language. */
  error(error: unknown, topic?: string): void;
  /** Closes every note (the person moved to another page: what they said was about the old one). */
  clear(): void;
  /** Closes the notes on a topic whose problem is gone (the phone connected again). */
  resolve(topic: string): void;
}

const NotifyContext = createContext<Notify>({
  ok: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  clear: () => undefined,
  resolve: () => undefined,
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
    (kind: Toast['kind'], text: string, topic: string | undefined, action?: NoteAction) => {
      const id = nextId.current++;
      // A later outcome replaces earlier ones (a fix's success supersedes the warning or error before it).
      setToasts((list) => afterNote(list, { id, kind, text, topic, action }));
      // Errors stay until closed (or fixed) so nobody misses why something did not happen.
      if (kind === 'ok') setTimeout(() => dismiss(id), OK_VISIBLE_MS);
      if (kind === 'warn') setTimeout(() => dismiss(id), WARN_VISIBLE_MS);
    },
    [dismiss],
  );
  const notify = useMemo<Notify>(
    () => ({
      ok: (text, topic) => push('ok', text, topic),
      warn: (text, topic, action) => push('warn', text, topic, action),
      error: (error, topic) => push('error', toApiError(error).message, topic),
      clear: () => setToasts([]),
      resolve: (topic) => setToasts((list) => list.filter((toast) => toast.topic !== topic)),
    }),
    [push],
  );

  return (
    <NotifyContext.Provider value={notify}>
      {children}
      {/* Beside the menu (see notify.css): never over a page's form buttons. */}
      <div className="toasts toasts-beside-menu" aria-live="polite" data-testid="toasts">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.kind}`}
            role={toast.kind === 'ok' ? 'status' : 'alert'}
            data-testid="toast"
            data-kind={toast.kind}
          >
            <span>
              {toast.text}
              {toast.action && (
                <>
                  {' '}
                  <button type="button" className="link toast-action" onClick={toast.action.run} data-testid="toast-action">
                    {toast.action.label}
                  </button>
                </>
              )}
            </span>
            <button type="button" className="link" onClick={() => dismiss(toast.id)} aria-label={t('common.close')}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

/**
 * Runs a user action: one at a time, failures shown as a toast. Resolves to the result, or undefined on failure.
 * With a topic, the failure's note goes as soon as a later action on the same topic succeeds or fails anew.
 */
export function useAction(topic?: string): [<T>(action: () => Promise<T>) => Promise<T | undefined>, boolean] {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      try {
        const result = await action();
        if (topic) notify.resolve(topic);
        return result;
      } catch (error) {
        notify.error(error, topic);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [notify, topic],
  );
  return [run, busy];
}
