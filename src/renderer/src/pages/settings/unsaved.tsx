import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Which sections of the open sub-page hold edits nobody saved yet. */
export interface UnsavedApi {
  mark(section: string, dirty: boolean): void;
}

export const UnsavedContext = createContext<UnsavedApi>({ mark: () => undefined });

/** The parts of a page with edits nobody saved yet, and the one function that marks a part edited or not. */
export function useDirtyParts(): [ReadonlySet<string>, UnsavedApi['mark']] {
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const mark = useCallback((part: string, isDirty: boolean) => {
    setDirty((set) => {
      if (set.has(part) === isDirty) return set;
      const next = new Set(set);
      if (isDirty) next.add(part);
      else next.delete(part);
      return next;
    });
  }, []);
  return [dirty, mark];
}

/**
 * A part of a section (a tab) that also wants to know which of its own forms hold edits: what they tell Ajustes is
 * told to `mark` as well, under `scope:section`.
 */
export function UnsavedScope({ scope, mark, children }: { scope: string; mark: UnsavedApi['mark']; children: ReactNode }) {
  const outer = useContext(UnsavedContext);
  const api = useMemo<UnsavedApi>(
    () => ({
      mark(section, dirty) {
        outer.mark(section, dirty);
        mark(`${scope}:${section}`, dirty);
      },
    }),
    [outer, scope, mark],
  );
  return <UnsavedContext.Provider value={api}>{children}</UnsavedContext.Provider>;
}

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
