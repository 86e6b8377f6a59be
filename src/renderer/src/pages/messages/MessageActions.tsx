import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain';
import { RECIPIENT_FAILURE_CODES } from '../../../../shared/failure-codes';
import { call } from '../../api/client';
import { ConfirmBar } from '../../components/ConfirmBar';
import { useAction, useNotify } from '../../components/Notify';
import { PhoneForm } from '../results/UndeliveredList';
import { CANCELLABLE, RESENDABLE } from './states';

/**
 * Reenviar (failed, expired, unconfirmed) and Cancelar (still queued), in the list and in the detail panel. A failure
 * of the number itself (not on WhatsApp, a landline) offers "Corregir celular" and, when its document can go to the
 * patient's e-mail, "Enviar por correo" instead: resending to the same number would only fail again.
 */
export function MessageActions({
  m,
  small = false,
  onChanged,
  onResent,
  onFix,
}: {
  m: Message;
  small?: boolean;
  onChanged: () => void;
  /** The resend is a new message: its id, so the detail can follow it. */
  onResent?: (id: number) => void;
  /** In the list, "Corregir celular" opens the detail, where the number is corrected. */
  onFix?: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [fixing, setFixing] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const size = small ? 'small ' : '';
  const numberFailed =
    m.state === 'failed' && m.patientId !== null && m.lastErrorCode !== null && RECIPIENT_FAILURE_CODES.has(m.lastErrorCode);

  const fixAndResend = async (phone: string): Promise<void> => {
    const patientId = m.patientId as number;
    const created = await run(async () => {
      const patient = await call('patients.update', { id: patientId, phone });
      if (!patient.phoneE164) throw new Error(patient.phoneError ?? t('undelivered.notMobile'));
      return call('messages.resend', { id: m.id });
    });
    if (!created) return;
    setFixing(false);
    notify.ok(t('messages.fixedAndResent', { phone: created.toPhone }));
    onChanged();
    onResent?.(created.id);
  };

  const sendByEmail = async (): Promise<void> => {
    const created = await run(() => call('messages.sendByEmail', { id: m.id }));
    if (!created) return;
    notify.ok(t('messages.sentByEmail', { email: created.toEmail ?? m.emailCopyTo ?? '' }));
    onChanged();
    onResent?.(created.id);
  };

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
    setConfirmCancel(false);
    notify.ok(t('messages.cancelled'));
    onChanged();
  };

  if (confirmCancel) {
    return (
      <ConfirmBar testId="confirm-cancel" yes={t('messages.cancelYes')} danger busy={busy} onYes={() => void cancel()} onNo={() => setConfirmCancel(false)}>
        {t('messages.cancelConfirm', { name: m.patientName ?? m.toPhone })}
      </ConfirmBar>
    );
  }
  if (fixing) {
    return <PhoneForm initial={m.toPhone} busy={busy} testId="message-phone" onCancel={() => setFixing(false)} onSave={(p) => void fixAndResend(p)} />;
  }

  return (
    <>
      {numberFailed && (
        <button
          type="button"
          className={size.trim()}
          disabled={busy}
          onClick={() => (small && onFix ? onFix() : setFixing(true))}
          data-testid={small ? 'row-fix-phone' : 'fix-phone'}
        >
          {t('undelivered.fixPhone')}
        </button>
      )}
      {numberFailed && m.emailCopyTo && (
        <button
          type="button"
          className={`${size}secondary`}
          disabled={busy}
          onClick={() => void sendByEmail()}
          title={t('messages.sendByEmailHint', { email: m.emailCopyTo })}
          data-testid={small ? 'row-send-email' : 'send-email'}
        >
          {t('messages.sendByEmail')}
        </button>
      )}
      {/* The same number would fail the same way: no Reenviar until the mobile is corrected. */}
      {RESENDABLE.has(m.state) && !numberFailed && (
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
          onClick={() => setConfirmCancel(true)}
          data-testid={small ? undefined : 'cancel-message'}
        >
          {t('messages.cancel')}
        </button>
      )}
    </>
  );
}
