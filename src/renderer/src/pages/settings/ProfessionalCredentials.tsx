import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import type { ProfessionalCredentialView } from '../../../../shared/signing-api';
import { call } from '../../api/client';
import type { CallState } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { readAsBase64 } from '../../files';
import { ProfessionalSelect, SigningCheck, useProfessionals } from './signingParts';
import type { Save } from './types';
import { P12Fields, useP12Draft } from './p12Draft';
import { UnsavedNote } from './unsaved';

/**
 * Ajustes → Certificado → signatures of the professionals: whose credential is linked (a token's certificate, chosen
 * above with "Para", or a .p12 added here), unlinking, and whether the clinic seals what they sign and keeps their
 * credential open for their session. No PIN or password is ever stored.
 */
export function ProfessionalCredentials({ view, save, linked }: { view: SettingsView; save: Save; linked: CallState<ProfessionalCredentialView[]> }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const professionals = useProfessionals();
  const action = useFormAction();
  const [personId, setPersonId] = useState<number | null>(null);
  const draft = useP12Draft('professional-p12');

  const linkP12 = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const chosen = draft.file;
    if (!chosen || personId === null) return;
    const typed = draft.password;
    draft.setPassword(''); // checked once, never kept
    const done = await action.run(async () => call('professional.linkP12', { personId, base64: await readAsBase64(chosen), password: typed }));
    if (done) {
      draft.clear();
      notify.ok(t('professionalSignature.linked', { name: done.personName }));
      linked.reload();
    }
  };
  const unlink = async (id: number): Promise<void> => {
    if (await action.run(() => call('professional.unlink', { personId: id }))) linked.reload();
  };

  return (
    <div className="subsection" data-testid="professional-credentials">
      <h4>{t('professionalSignature.title')}</h4>
      <p className="hint">{t('professionalSignature.hint')}</p>
      <ErrorNote error={linked.error} onRetry={linked.reload} retryLabel={t('common.retry')} />
      {linked.data && linked.data.length === 0 && <p className="muted">{t('professionalSignature.none')}</p>}
      {linked.data && linked.data.length > 0 && (
        <ul className="plain-list" data-testid="professional-credential-list">
          {linked.data.map((c) => (
            <li key={c.personId} data-person={c.personId}>
              {c.personName} ({c.registryNumber ?? '—'}) · {t(`professionalSignature.kind.${c.kind}`)} · {c.subject} ·{' '}
              {t('professionalSignature.until', { date: c.notAfter.slice(0, 10) })}{' '}
              <button type="button" className="link" onClick={() => void unlink(c.personId)} data-testid="professional-unlink">
                {t('professionalSignature.unlink')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form-grid" onSubmit={(e) => void linkP12(e)} noValidate data-testid="professional-p12">
        <Field label={t('professionalSignature.person')}>
          <ProfessionalSelect professionals={professionals} value={personId} onChange={setPersonId} none="—" testId="professional-p12-person" />
        </Field>
        <P12Fields
          draft={draft}
          fileLabel={t('certificate.file')}
          passwordLabel={t('professionalSignature.password')}
          fileTestId="professional-p12-file"
          passwordTestId="professional-p12-password"
          autoComplete="off"
        />
        {action.error && (
          <p className="error-note span-all" role="alert" data-testid="professional-error">
            {action.error.message}
          </p>
        )}
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={draft.chosenOrTyped} />
          <button type="submit" className="secondary" disabled={action.busy || !draft.file || personId === null} data-testid="professional-p12-link">
            {t('professionalSignature.linkP12')}
          </button>
        </div>
      </form>
      <SigningCheck view={view} save={save} name="sealProfessionalSignatures" label={t('professionalSignature.seal')} testId="professional-seal" />
      <SigningCheck view={view} save={save} name="keepProfessionalSession" label={t('professionalSignature.keepSession')} testId="professional-keep-session" />
    </div>
  );
}
