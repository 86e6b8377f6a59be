import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';

/**
 * The PIN of the professional's token (or the password of their .p12), as "Firmar mis pendientes" asks for it: typed,
 * never filled in by the browser, never kept.
 */
export function SignatureSecretField({
  kind,
  value,
  onChange,
  testId,
  autoFocus = false,
  inputRef,
}: {
  kind: 'token' | 'p12';
  value: string;
  onChange: (value: string) => void;
  testId: string;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{kind === 'token' ? t('token.pin') : t('professionalSignature.password')}</span>
      <input
        ref={inputRef}
        type="password"
        autoComplete="off"
        inputMode={kind === 'token' ? 'numeric' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoFocus={autoFocus}
        data-testid={testId}
      />
    </label>
  );
}

/**
 * "Validar" by a professional whose own signature is closed: the PIN (or password) first, then validated and signed in
 * one go. A mistyped PIN is said here and changes nothing; "Validar y firmar después" validates now and leaves the
 * result for "Firmar mis pendientes", one PIN for many.
 */
export function ValidateSignPrompt({
  kind,
  busy,
  error,
  onSign,
  onLater,
  onCancel,
}: {
  kind: 'token' | 'p12';
  busy: boolean;
  error: ApiError | null;
  onSign: (secret: string) => void;
  onLater: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState('');
  const field = useRef<HTMLInputElement>(null);
  // A refused PIN is typed again from the emptied field, where the focus goes with the message.
  useEffect(() => {
    if (error) field.current?.focus();
  }, [error]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const typed = secret;
    // Not kept in the page after it is sent, whatever the answer.
    setSecret('');
    onSign(typed);
  };
  return (
    <form className="form-grid subsection" onSubmit={submit} noValidate data-testid="validate-sign" aria-label={t('validation.signTitle')}>
      <p className="span-all hint">{kind === 'token' ? t('validation.signHintToken') : t('validation.signHintP12')}</p>
      <SignatureSecretField kind={kind} value={secret} onChange={setSecret} testId="validate-sign-secret" autoFocus inputRef={field} />
      {error && (
        <p className="error-note span-all" role="alert" data-testid="validate-sign-error">
          {error.message}
        </p>
      )}
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onLater} data-testid="validate-sign-later">
          {t('validation.later')}
        </button>
        <button type="submit" disabled={busy || !secret} data-testid="validate-sign-submit">
          {busy ? t('token.signing') : t('validation.validateAndSign')}
        </button>
      </div>
    </form>
  );
}
