import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useAction, useNotify } from '../../components/Notify';
import { CANCELLABLE, RESENDABLE } from './states';

/** Reenviar (failed, expired, unconfirmed) and Cancelar (still queued), in the list and in the detail panel. */
export function MessageActions({
  m,
  small = false,
  onChanged,
  onResent,
}: {
  m: Message;
  small?: boolean;
  onChanged: () => void;
  /** The resend is a new message: its id, so the detail can follow it. */
  onResent?: (id: number) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const size = small ? 'small ' : '';

  const resend = async (): Promise<void> => {
    const created = await run(() => call('messages.resend', { id: m.id }));
    if (!created) return;
    notify.ok(t('messages.resent'));
    onChanged();
    onResent?.(created.id);
  };
  const cancel = async (): Promise<void> => {
    const cancelled = await run(() => call('messages.cancel', { id: m.id }));
    if (!cancelled) return;
    notify.ok(t('messages.cancelled'));
    onChanged();
  };

  return (
    <>
      {RESENDABLE.has(m.state) && (
        <button
          type="button"
          className={size.trim()}
          disabled={busy}
          onClick={() => void resend()}
          data-testid={small ? undefined : 'resend-message'}
        >
          {t('messages.resend')}
        </button>
      )}
      {CANCELLABLE.has(m.state) && (
        <button
          type="button"
          className={`${size}secondary`}
          disabled={busy}
          onClick={() => void cancel()}
          data-testid={small ? undefined : 'cancel-message'}
        >
          {t('messages.cancel')}
        </button>
      )}
    </>
  );
}
