import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Where the focus was when the panel opened, and how to find that control again if the list redrew it. */
function remember(): { element: HTMLElement | null; selector: string | null } {
  const element = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  const testId = element?.getAttribute('data-testid');
  const id = element?.getAttribute('data-id');
  const selector = testId ? `[data-testid="${CSS.escape(testId)}"]${id ? `[data-id="${CSS.escape(id)}"]` : ''}` : null;
  return { element, selector };
}

/**
 * A panel on the right over the page, closed with its button or Escape. The page behind stays usable. Opening it moves
 * the focus into it (its title, so a screen reader reads what opened); closing it gives the focus back to what opened
 * it, so a keyboard user goes on from the row they were on.
 */
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
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    const opener = remember();
    heading.current?.focus();
    return () => {
      // Only when the focus was still inside (or lost with it): a click elsewhere on the page keeps its own focus.
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const back = opener.element?.isConnected ? opener.element : opener.selector ? document.querySelector<HTMLElement>(opener.selector) : null;
      back?.focus();
    };
  }, []);

  return (
    <aside className="drawer" role="dialog" aria-labelledby={titleId} data-testid={testId}>
      <div className="drawer-head">
        <h3 id={titleId} ref={heading} tabIndex={-1} data-testid="drawer-title">
          {title}
        </h3>
        <button type="button" className="link" onClick={onClose} aria-label={t('common.close')} data-testid="drawer-close">
          ×
        </button>
      </div>
      {/* It scrolls on its own: reachable with the keyboard even when it holds no button (WCAG 2.1.1). */}
      <div className="drawer-body" tabIndex={0} role="region" aria-labelledby={titleId}>
        {children}
      </div>
    </aside>
  );
}
