import { useEffect, useRef, useState, type FormEvent, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignPendingResult } from '../../../shared/signing-api';
import { useNotify } from './Notify';
import { useFormAction } from './useFormAction';

interface SecretFormProps {
  /** What the secret is called here: the token's PIN, or a .p12's password. */
  label: string;
  /** A token's PIN is digits: phones and tablets show their number pad. */
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  submitLabel: string;
  /** An answer is on its way: the button says so and waits. */
  busy: boolean;
  /** Why the last secret was refused (a wrong PIN, a locked token), in the core's words; null while nothing was. */
  refusal: string | null;
  /** The secret as typed; the field is emptied at once, whatever the answer. */
  onSubmit: (secret: string) => void;
  /** `data-testid`s: the form, the secret's field, the refusal and the button. */
  testIds: { form: string; secret: string; error: string; submit: string };
  className?: string;
  /** What a screen reader calls the form, when nothing above it says so. */
  ariaLabel?: string;
  /** The form opened because someone asked for it: the field takes the focus. */
  autoFocus?: boolean;
  /** `data-*` of the form (what the tests read). */
  data?: Record<`data-${string}`, string | number>;
  /** Above the field (what waits); before the button (other ways out) and after it (another action). */
  intro?: ReactNode;
  leadingActions?: ReactNode;
  actions?: ReactNode;
}

/**
 * The one form that asks for a signing secret: a PIN or password field the browser never fills in, the refusal under
 * it, and a button that waits for the answer. The secret leaves the page as soon as it is sent, and a refused one is
 * typed again from the emptied field, where the focus goes with the message.
 */
export function SecretForm({
  label,
  inputMode,
  submitLabel,
  busy,
  refusal,
  onSubmit,
  testIds,
  className = 'form-grid',
  ariaLabel,
  autoFocus = false,
  data,
  intro,
  leadingActions,
  actions,
}: SecretFormProps) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (refusal) field.current?.focus();
  }, [refusal]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const typed = secret;
    setSecret('');
    onSubmit(typed);
  };

  return (
    <form className={className} onSubmit={submit} noValidate aria-label={ariaLabel} data-testid={testIds.form} {...data}>
      {intro}
      <label className="field">
        <span>{label}</span>
        <input
          ref={field}
          type="password"
          autoComplete="off"
          inputMode={inputMode}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoFocus={autoFocus}
          data-testid={testIds.secret}
        />
      </label>
      {refusal && (
        <p className="error-note span-all" role="alert" data-testid={testIds.error}>
          {refusal}
        </p>
      )}
      <div className="form-actions span-all">
        {leadingActions}
        <button type="submit" disabled={busy || !secret} data-testid={testIds.submit}>
          {busy ? t('token.signing') : submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}

type SecretSignFormProps = Omit<SecretFormProps, 'busy' | 'refusal' | 'onSubmit' | 'leadingActions'> & {
  /** Signs everything that waits with the secret typed now. */
  sign: (secret: string) => Promise<SignPendingResult>;
  /** After an answer, signed or refused (the count that waits changed, or the credential's state). */
  onAnswered?: () => void;
};

/**
 * One PIN or password to sign everything that waits for a signature: the secret is sent once and never kept; a refusal
 * (a wrong PIN, a locked token) is said under the field in the core's words.
 */
export function SecretSignForm({ sign, onAnswered, ...form }: SecretSignFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async (secret: string): Promise<void> => {
    setRefusal(null);
    const result = await run(() => sign(secret));
    if (!result) return;
    if (!result.ok) setRefusal(result.reason);
    else notify.ok(t('token.signed', { signed: result.signed, waiting: result.waiting }));
    onAnswered?.();
  };

  return <SecretForm {...form} busy={busy} refusal={refusal ?? error?.message ?? null} onSubmit={(secret) => void submit(secret)} />;
}
