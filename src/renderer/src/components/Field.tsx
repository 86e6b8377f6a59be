import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';

/**
 * One labelled form field: the label, the control, and the field's own error right under it (announced, tied to the
 * control with aria-describedby and aria-invalid). Pages pass the control; the markup around it lives here once.
 */
export function Field({
  label,
  error,
  hint,
  children,
  wide = false,
}: {
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
  wide?: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy });
  return (
    <div className={wide ? 'field span-all' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint ? (
        <small id={hintId} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}
