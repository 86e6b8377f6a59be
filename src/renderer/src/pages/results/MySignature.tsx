import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useMySignature } from '../../api/settingsResources';
import { useNotify } from '../../components/Notify';
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
  const notify = useNotify();
  const mine = useMySignature();
  const { run, busy, error } = useFormAction();
  const [secret, setSecret] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const state = mine.data;
  if (!state?.linked) return null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setRefusal(null);
    const typed = secret;
    setSecret('');
    const result = await run(() => call('professional.signMine', { secret: typed }));
    if (!result) return;
    if (!result.ok) setRefusal(result.reason);
    else notify.ok(t('token.signed', { signed: result.signed, waiting: result.waiting }));
    mine.reload();
  };
  const lock = async (): Promise<void> => {
    if (await run(() => call('professional.lockMine', {}))) mine.reload();
  };

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="my-signature" data-waiting={state.waiting}>
      <p className="span-all">
        {t('mySignature.summary', { subject: state.subject, waiting: state.waiting })}
        {state.open && <span className="muted"> · {t('mySignature.open')}</span>}
      </p>
      <label className="field">
        <span>{state.kind === 'token' ? t('token.pin') : t('professionalSignature.password')}</span>
        <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} data-testid="my-signature-secret" />
      </label>
      {(refusal || error) && (
        <p className="error-note span-all" role="alert" data-testid="my-signature-error">
          {refusal ?? error?.message}
        </p>
      )}
      <div className="form-actions span-all">
        <button type="submit" disabled={busy || !secret} data-testid="my-signature-sign">
          {busy ? t('token.signing') : t('mySignature.signMine')}
        </button>
        {state.open && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void lock()} data-testid="my-signature-lock">
            {t('mySignature.lock')}
          </button>
        )}
      </div>
    </form>
  );
}
