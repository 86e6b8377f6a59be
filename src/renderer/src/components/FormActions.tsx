import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { ErrorNote } from './ErrorNote';

/**
 * The end of a form: why the last try failed, a way out, and the button that saves (saying it is busy while it
 * works). `wide` for a form laid out on a grid, where the two take a row of their own.
 */
export function FormActions({
  error,
  busy,
  onCancel,
  submit,
  busyLabel,
  submitTestId,
  disabled = false,
  wide = false,
}: {
  error: ApiError | null;
  busy: boolean;
  onCancel: () => void;
  submit: string;
  /** Said on the button while the form works; left out, the button keeps its words. */
  busyLabel?: string;
  submitTestId: string;
  /** Besides while busy: nothing to send yet. */
  disabled?: boolean;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {wide ? (
        <div className="span-all">
          <ErrorNote error={error} />
        </div>
      ) : (
        <ErrorNote error={error} />
      )}
      <div className={wide ? 'form-actions span-all' : 'form-actions'}>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy || disabled} data-testid={submitTestId}>
          {busy && busyLabel ? busyLabel : submit}
        </button>
      </div>
    </>
  );
}
