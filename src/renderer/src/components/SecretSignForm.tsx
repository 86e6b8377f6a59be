import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignPendingResult } from '../../../shared/signing-api';
import { useNotify } from './Notify';
import { useFormAction } from './useFormAction';

interface SecretSignFormProps {
  /** What the secret is called here: the token's PIN, or a .p12's password. */
  label: string;
  submitLabel: string;
  /** Signs everything that waits with the secret typed now. */
  sign: (secret: string) => Promise<SignPendingResult>;
  /** After an answer, signed or refused (the count that waits changed, or the credential's state). */
  onAnswered?: () => void;
  /** `data-testid`s: the form, the secret's field, the refusal and the button. */
  testIds: { form: string; secret: string; error: string; submit: string };
  className?: string;
  /** `data-*` of the form (what the tests read). */
  data?: Record<`data-${string}`, string | number>;
  /** Above the field (what waits), and beside the button (another action). */
  intro?: ReactNode;
  actions?: ReactNode;
}

/**
 * One PIN or password to sign everything that waits for a signature: the secret is sent once and never kept, not
 * even in the form; a refusal (a wrong PIN, a locked token) is said under the field in the core's words.
 */
export function SecretSignForm({ label, submitLabel, sign, onAnswered, testIds, className = 'form-grid', data, intro, actions }: SecretSignFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [secret, setSecret] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setRefusal(null);
    const typed = secret;
    setSecret('');
    const result = await run(() => sign(typed));
    if (!result) return;
    if (!result.ok) setRefusal(result.reason);
    else notify.ok(t('token.signed', { signed: result.signed, waiting: result.waiting }));
    onAnswered?.();
  };

  return (
    <form className={className} onSubmit={(e) => void submit(e)} noValidate data-testid={testIds.form} {...data}>
      {intro}
      <label className="field">
        <span>{label}</span>
        <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} data-testid={testIds.secret} />
      </label>
      {(refusal || error) && (
        <p className="error-note span-all" role="alert" data-testid={testIds.error}>
          {refusal ?? error?.message}
        </p>
      )}
      <div className="form-actions span-all">
        <button type="submit" disabled={busy || !secret} data-testid={testIds.submit}>
          {busy ? t('token.signing') : submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}
