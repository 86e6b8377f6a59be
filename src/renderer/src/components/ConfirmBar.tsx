import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "Are you sure?" for what cannot be taken back, in place (no modal): the question, a yes that says what it does, and
 * a way out. The focus moves to the question's answer so a keyboard user lands on it.
 */
export function ConfirmBar({
  children,
  yes,
  onYes,
  onNo,
  busy = false,
  danger = false,
  testId,
}: {
  children: ReactNode;
  yes: string;
  onYes: () => void;
  onNo: () => void;
  busy?: boolean;
  danger?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const yesButton = useRef<HTMLButtonElement>(null);
  useEffect(() => yesButton.current?.focus(), []);
  return (
    <div className="confirm" role="alertdialog" aria-label={yes} data-testid={testId}>
      <div className="confirm-text">{children}</div>
      <button
        ref={yesButton}
        type="button"
        className={danger ? 'danger' : ''}
        disabled={busy}
        onClick={onYes}
        data-testid={`${testId}-yes`}
      >
        {yes}
      </button>
      <button type="button" className="secondary" onClick={onNo} data-testid={`${testId}-no`}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
