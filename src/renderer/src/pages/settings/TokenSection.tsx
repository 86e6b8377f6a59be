import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import type { TokenCertificateView, TokenView } from '../../../../shared/signing-api';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { useProfessionalCredentials } from '../../api/settingsResources';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { SecretSignForm } from '../../components/SecretSignForm';
import { useFormAction } from '../../components/useFormAction';
import { ProfessionalCredentials } from './ProfessionalCredentials';
import { ProfessionalSelect, SigningCheck, useProfessionals } from './signingParts';
import type { Save } from './types';
import { UnsavedNote, useUnsaved } from './unsaved';

/**
 * Ajustes → Certificado → token or DNIe: which signs (the .p12 file or a card), the card's PKCS#11 module, the token and
 * the certificate on it; and "Firmar pendientes", where the PIN is typed. The PIN is never saved.
 */
export function TokenSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const modules = useCall('token.modules', {}).data ?? [];
  const [modulePath, setModulePath] = useState(view.signing.token?.modulePath ?? '');
  // The module path is kept once a certificate on it is used or linked; until then a typed one is an unsaved edit.
  const [keptModule, setKeptModule] = useState(modulePath);
  const moduleEdited = modulePath.trim() !== keptModule.trim();
  useUnsaved('token-module', moduleEdited);
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [serial, setSerial] = useState(view.signing.token?.tokenSerial ?? '');
  const [certificates, setCertificates] = useState<TokenCertificateView[] | null>(null);
  const find = useFormAction();
  const chosen = view.signing.token;
  // Whose certificate this is: the clinic's (the site signs with it) or a professional's own.
  const [holder, setHolder] = useState<number | null>(null);
  const professionals = useProfessionals();
  const linked = useProfessionalCredentials();

  const search = async (): Promise<void> => {
    setCertificates(null);
    const found = await find.run(() => call('token.list', { modulePath: modulePath.trim() }));
    if (found) setTokens(found);
  };
  const open = async (tokenSerial: string): Promise<void> => {
    setSerial(tokenSerial);
    const found = await find.run(() => call('token.certificates', { modulePath: modulePath.trim(), tokenSerial }));
    if (found) setCertificates(found);
  };
  const use = async (certificateId: string): Promise<void> => {
    if (holder !== null) {
      const link = await find.run(() => call('professional.linkToken', { personId: holder, modulePath: modulePath.trim(), tokenSerial: serial, certificateId }));
      if (link) {
        setKeptModule(modulePath);
        notify.ok(t('professionalSignature.linked', { name: link.personName }));
        linked.reload();
      }
      return;
    }
    const done = await find.run(() =>
      call('token.use', { modulePath: modulePath.trim(), tokenSerial: serial, certificateId, holderId: chosen?.holderId ?? null }),
    );
    if (done) {
      setKeptModule(modulePath);
      notify.ok(t('token.chosen'));
      await save({});
    }
  };

  return (
    <div className="subsection" data-testid="settings-token">
      <h4>{t('token.title')}</h4>
      <p className="hint">{t('token.hint')}</p>
      <Field label={t('token.credential')}>
        <select
          value={view.signing.credential}
          onChange={(e) => void save({ signing: { credential: e.target.value as 'p12' | 'token' } })}
          data-testid="signing-credential"
        >
          <option value="p12">{t('token.useP12')}</option>
          <option value="token" disabled={!chosen}>
            {t('token.useToken')}
          </option>
        </select>
      </Field>
      {chosen && (
        <p className="muted" data-testid="token-chosen">
          {t('token.current', { serial: chosen.tokenSerial, id: chosen.certificateId })}
        </p>
      )}
      <div className="form-grid">
        <Field label={t('token.holder')} wide>
          <ProfessionalSelect professionals={professionals} value={holder} onChange={setHolder} none={t('token.holderSite')} testId="token-holder" />
        </Field>
        <Field label={t('token.module')} wide>
          <input list="pkcs11-modules" value={modulePath} onChange={(e) => setModulePath(e.target.value)} data-testid="token-module" />
        </Field>
        <datalist id="pkcs11-modules">
          {modules.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={moduleEdited} />
          <button type="button" className="secondary" disabled={find.busy || !modulePath.trim()} onClick={() => void search()} data-testid="token-search">
            {t('token.search')}
          </button>
        </div>
      </div>
      {find.error && (
        <p className="error-note" role="alert" data-testid="token-error">
          {find.error.message}
        </p>
      )}
      {tokens && tokens.length === 0 && <p className="muted">{t('token.none')}</p>}
      {tokens && tokens.length > 0 && (
        <ul className="plain-list" data-testid="token-list">
          {tokens.map((tok) => (
            <li key={tok.serial}>
              <button type="button" className="link" onClick={() => void open(tok.serial)}>
                {tok.label || tok.model} · {tok.manufacturer} · {tok.serial}
              </button>
              {tok.pinLocked && <span className="reason"> {t('token.pinLocked')}</span>}
              {!tok.pinLocked && (tok.pinFinalTry || tok.pinCountLow) && <span className="reason"> {t('token.pinLow')}</span>}
            </li>
          ))}
        </ul>
      )}
      {certificates && (
        <ul className="plain-list" data-testid="token-certificates">
          {certificates.map((c) => (
            <li key={c.id}>
              {c.info.subject.commonName ?? c.info.subject.dn} · {c.info.issuer.commonName ?? ''} · {c.info.notAfter.slice(0, 10)}{' '}
              <button type="button" onClick={() => void use(c.id)} data-testid="token-use">
                {holder === null ? t('token.use') : t('token.linkTo', { name: professionals.find((p) => p.id === holder)?.name ?? '' })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <SigningCheck view={view} save={save} name="keepTokenSession" label={t('token.keepSession')} testId="token-keep-session" />
      {view.signing.credential === 'token' && <SignPendingForm />}
      <ProfessionalCredentials view={view} save={save} linked={linked} />
    </div>
  );
}

/** "Firmar pendientes": one PIN, every approved document that waits for the signature. */
export function SignPendingForm() {
  const { t } = useTranslation();
  return (
    <SecretSignForm
      label={t('token.pin')}
      submitLabel={t('token.signPending')}
      sign={(pin) => call('token.signPending', { pin })}
      testIds={{ form: 'sign-pending', secret: 'token-pin', error: 'sign-pending-error', submit: 'sign-pending-button' }}
    />
  );
}
