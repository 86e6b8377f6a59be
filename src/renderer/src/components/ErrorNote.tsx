import type { ApiError } from '../api/client';

/** A load failure shown where the data would be, with the API's own words. */
export function ErrorNote({ error, onRetry, retryLabel }: { error: ApiError | null; onRetry?: () => void; retryLabel?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <span>{error.message}</span>
      {onRetry && retryLabel ? (
        <button type="button" className="secondary small" onClick={onRetry}>
          {retryLabel}
        </button>
      ) : null}
    </div>
  );
}
