import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useMySignature } from '../../api/settingsResources';
import { ErrorNote } from '../../components/ErrorNote';
import { SecretSignForm } from '../../components/SecretSignForm';
import { useFormAction } from '../../components/useFormAction';
import { useCan } from '../../session';

/**
 * A professional's own signature, on the Results page: how many results they validated wait for it, and one PIN (or
 * .p12 password) to sign them all. Shown only to a professional whose credential is linked; the PIN is never kept.
 */
export function MySignature() {
  const can = useCan();
  return can('professional.signMine') ? <MySignatureCard /> : null;
}

function MySignatureCard() {
  const { t } = useTranslation();
  const mine = useMySignature();
  const { run, busy, error } = useFormAction();
  const state = mine.data;
  if (!state?.linked) return null;

  const lock = async (): Promise<void> => {
    if (await run(() => call('professional.lockMine', {}))) mine.reload();
  };

  return (
    <SecretSignForm
      className="card form-grid"
      label={state.kind === 'token' ? t('token.pin') : t('professionalSignature.password')}
      submitLabel={t('mySignature.signMine')}
      sign={(secret) => call('professional.signMine', { secret })}
      onAnswered={mine.reload}
      testIds={{ form: 'my-signature', secret: 'my-signature-secret', error: 'my-signature-error', submit: 'my-signature-sign' }}
      data={{ 'data-waiting': state.waiting }}
      intro={
        <>
          <p className="span-all">
            {t('mySignature.summary', { subject: state.subject, waiting: state.waiting })}
            {state.open && <span className="muted"> · {t('mySignature.open')}</span>}
          </p>
          {/* Locking failed (the session ended meanwhile, say). */}
          {error && (
            <div className="span-all">
              <ErrorNote error={error} />
            </div>
          )}
        </>
      }
      actions={
        state.open && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void lock()} data-testid="my-signature-lock">
            {t('mySignature.lock')}
          </button>
        )
      }
    />
  );
}
