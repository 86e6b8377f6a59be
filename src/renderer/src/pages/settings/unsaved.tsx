import { createContext, useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Which sections of the open sub-page hold edits nobody saved yet. */
export interface UnsavedApi {
  mark(section: string, dirty: boolean): void;
}

export const UnsavedContext = createContext<UnsavedApi>({ mark: () => undefined });

/** Tells Ajustes whether this section's form differs from what is saved (it asks before leaving if so). */
export function useUnsaved(section: string, dirty: boolean): void {
  const { mark } = useContext(UnsavedContext);
  useEffect(() => mark(section, dirty), [section, dirty, mark]);
  useEffect(() => () => mark(section, false), [section, mark]);
}

/** A section's one Save, with "Cambios sin guardar" beside it while the form differs from what is saved. */
export function SaveBar({
  dirty,
  disabled = false,
  testId,
  label,
}: {
  dirty: boolean;
  disabled?: boolean;
  testId?: string;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="form-actions span-all save-bar">
      <UnsavedNote dirty={dirty} />
      <button type="submit" disabled={disabled || !dirty} data-testid={testId}>
        {label ?? t('common.save')}
      </button>
    </div>
  );
}

/** "Cambios sin guardar", shown while a section's fields differ from what is saved. */
export function UnsavedNote({ dirty }: { dirty: boolean }) {
  const { t } = useTranslation();
  if (!dirty) return null;
  return (
    <span className="unsaved-note" role="status" data-testid="unsaved-note">
      {t('settings.unsaved')}
    </span>
  );
}
