import { useEffect, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A panel on the right over the page, closed with its button or Escape. The page behind stays usable. */
export function Drawer({
  title,
  onClose,
  children,
  testId,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="drawer" role="dialog" aria-labelledby={titleId} data-testid={testId}>
      <div className="drawer-head">
        <h3 id={titleId}>{title}</h3>
        <button type="button" className="link" onClick={onClose} aria-label={t('common.close')} data-testid="drawer-close">
          ×
        </button>
      </div>
      <div className="drawer-body">{children}</div>
    </aside>
  );
}
