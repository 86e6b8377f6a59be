import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { SecretForm } from '../../components/SecretSignForm';

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
  return (
    <SecretForm
      className="form-grid subsection"
      ariaLabel={t('validation.signTitle')}
      label={kind === 'token' ? t('token.pin') : t('professionalSignature.password')}
      inputMode={kind === 'token' ? 'numeric' : undefined}
      submitLabel={t('validation.validateAndSign')}
      busy={busy}
      refusal={error?.message ?? null}
      onSubmit={onSign}
      autoFocus
      testIds={{ form: 'validate-sign', secret: 'validate-sign-secret', error: 'validate-sign-error', submit: 'validate-sign-submit' }}
      intro={<p className="span-all hint">{kind === 'token' ? t('validation.signHintToken') : t('validation.signHintP12')}</p>}
      leadingActions={
        <>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={onLater} data-testid="validate-sign-later">
            {t('validation.later')}
          </button>
        </>
      }
    />
  );
}
