import { useCallback, useState } from 'react';
import { toApiError, type ApiError } from '../api/client';

/**
 * Runs a form's submit: one at a time, and a refusal is kept for the form to show next to its fields, in the API's
 * own words (no consent, no valid phone…), instead of a toast that may go unseen.
 */
export function useFormAction(): {
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
