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
import { UnsavedNote, useUnsaved } from './unsaved';

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
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  // A new file input once a .p12 is linked: the one linked is no longer "chosen".
  const [fileInput, setFileInput] = useState(0);
  const chosenOrTyped = file !== null || password !== '';
  useUnsaved('professional-p12', chosenOrTyped);

  const linkP12 = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file || personId === null) return;
    const chosen = file;
    const typed = password;
    setPassword(''); // checked once, never kept
    const done = await action.run(async () => call('professional.linkP12', { personId, base64: await readAsBase64(chosen), password: typed }));
    if (done) {
      setFile(null);
      setFileInput((n) => n + 1);
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
        <Field label={t('certificate.file')}>
          <input
            key={fileInput}
            type="file"
            accept=".p12,.pfx,application/x-pkcs12"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="professional-p12-file"
          />
        </Field>
        <Field label={t('professionalSignature.password')}>
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="professional-p12-password" />
        </Field>
        {action.error && (
          <p className="error-note span-all" role="alert" data-testid="professional-error">
            {action.error.message}
          </p>
        )}
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={chosenOrTyped} />
          <button type="submit" className="secondary" disabled={action.busy || !file || personId === null} data-testid="professional-p12-link">
            {t('professionalSignature.linkP12')}
          </button>
        </div>
      </form>
      <SigningCheck view={view} save={save} name="sealProfessionalSignatures" label={t('professionalSignature.seal')} testId="professional-seal" />
      <SigningCheck view={view} save={save} name="keepProfessionalSession" label={t('professionalSignature.keepSession')} testId="professional-keep-session" />
    </div>
  );
}
