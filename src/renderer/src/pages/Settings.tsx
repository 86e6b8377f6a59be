import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditVerification } from '../../../shared/api';
import type { ChannelId, Language } from '../../../shared/domain';
import type { SecretName, SettingsView } from '../../../shared/settings';
import { call } from '../api/client';
import { useCall } from '../api/hooks';
import { useAppStatus } from '../appStatus';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useNotify } from '../components/Notify';
import { useFormat } from '../format';
import { setLanguage } from '../i18n';
import { BackupSection } from './settings/BackupSection';
import { CertificateSection } from './settings/CertificateSection';
import { ClinicDbSection } from './settings/ClinicDbSection';
import { RemoteAccessCard } from './settings/RemoteAccessCard';
import { CloudApiSection } from './settings/CloudApiSection';
import { EmailSection } from './settings/EmailSection';
import { FolderSourceSection } from './settings/FolderSourceSection';
import { Hl7Section } from './settings/Hl7Section';
import { JobsSection } from './settings/JobsSection';
import { LinkedDeviceSection } from './settings/LinkedDeviceSection';
import { PeopleSection } from './settings/PeopleSection';
import { RemindersSection } from './settings/RemindersSection';
import { RestoreSection } from './settings/RestoreSection';
import { RoutingSection } from './settings/RoutingSection';
import { SendingSection } from './settings/SendingSection';
import { TemplatesCard } from './settings/TemplatesCard';
import { TestSendCard } from './settings/TestSendCard';
import type { Save } from './settings/types';
import { WebhookCard } from './settings/WebhookCard';

const CHANNELS: ChannelId[] = ['cloud-api', 'linked-device', 'demo'];
const SECRETS: SecretName[] = ['cloudApi.accessToken', 'cloudApi.appSecret', 'cloudApi.verifyToken', 'certificate.password'];

export function Settings() {
  const { t, i18n } = useTranslation();
  const { refresh } = useAppStatus();
  const notify = useNotify();
  const [run] = useAction();
  // Not refreshed by live events: it would reset fields while someone is typing.
  const loaded = useCall('settings.get', {}, false);
  const [latest, setLatest] = useState<SettingsView | null>(null);
  const view = latest ?? loaded.data;

  const save: Save = async (patch) => {
    const updated = await run(() => call('settings.update', patch));
    if (!updated) return false;
    setLatest(updated);
    if (patch.language) setLanguage(updated.language);
    refresh();
    // `t` still speaks the language this render started in.
    notify.ok(i18n.getFixedT(updated.language)('common.saved'));
    return true;
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.settings')}</h2>
      </div>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} retryLabel={t('common.retry')} />
      {!view ? (
        !loaded.error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <div className="settings">
          <GeneralSection view={view} save={save} />
          <PeopleSection view={view} save={save} />
          {/* The phone comes first when it is the channel; otherwise it waits at the end, with a note. */}
          {view.channel === 'linked-device' && <LinkedDeviceSection view={view} save={save} />}
          <SendingSection view={view} save={save} />
          <RemindersSection />
          <RoutingSection view={view} save={save} />
          <EmailSection view={view} save={save} onSaved={setLatest} />
          <CertificateSection view={view} save={save} />
          <FolderSourceSection view={view} save={save} />
          <Hl7Section view={view} save={save} />
          <ClinicDbSection view={view} />
          <RemoteAccessCard />
          <CloudApiSection view={view} save={save} />
          <SecretsSection view={view} onSaved={setLatest} />
          <WebhookCard />
          <TemplatesCard />
          <TestSendCard />
          {view.channel !== 'linked-device' && <LinkedDeviceSection view={view} save={save} />}
          <AuditSection />
          <BackupSection />
          <RestoreSection />
          <JobsSection />
        </div>
      )}
    </div>
  );
}

function GeneralSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [clinicName, setClinicName] = useState(view.clinicName);
  const [invalid, setInvalid] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const name = clinicName.trim();
    setInvalid(!name);
    if (name) void save({ clinicName: name });
  };

  return (
    <section className="card">
      <h3>{t('settings.general')}</h3>
      <form className="row" onSubmit={submit} noValidate>
        <label className="field grow">
          <span>{t('settings.clinicName')}</span>
          <input value={clinicName} onChange={(e) => setClinicName(e.target.value)} aria-invalid={invalid} />
          {invalid && <small className="field-error">{t('wizard.errors.clinicName')}</small>}
        </label>
        <button type="submit" className="align-end" disabled={clinicName.trim() === view.clinicName}>
          {t('common.save')}
        </button>
      </form>
      <div className="row">
        <label className="field">
          <span>{t('settings.language')}</span>
          <select
            value={view.language}
            onChange={(e) => void save({ language: e.target.value as Language })}
            data-testid="settings-language"
          >
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
        <label className="field">
          <span>{t('settings.channel')}</span>
          <select value={view.channel ?? ''} onChange={(e) => void save({ channel: e.target.value as ChannelId })}>
            {view.channel === null && <option value="">{t('channel.none')}</option>}
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={view.openAtLogin} onChange={(e) => void save({ openAtLogin: e.target.checked })} />
        <span>{t('settings.openAtLogin')}</span>
      </label>
    </section>
  );
}

function SecretsSection({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h3>{t('settings.secrets')}</h3>
      <p className="hint">{t('settings.secretsHint')}</p>
      <div className="secrets">
        {SECRETS.map((name) => (
          <SecretRow key={name} name={name} isSet={view.secrets[name]} onSaved={onSaved} />
        ))}
      </div>
    </section>
  );
}

function SecretRow({ name, isSet, onSaved }: { name: SecretName; isSet: boolean; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [value, setValue] = useState('');
  const [run, busy] = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!value) return;
    const updated = await run(() => call('secrets.set', { name, value }));
    if (!updated) return;
    // Write-only: the value leaves the page as soon as the core has it.
    setValue('');
    onSaved(updated);
    notify.ok(t('common.saved'));
  };

  return (
    <form className="secret-row" onSubmit={(e) => void submit(e)}>
      <span className="secret-name">{t(`settings.secret.${name}`)}</span>
      <Chip tone={isSet ? 'good' : 'muted'}>{isSet ? t('settings.configured') : t('settings.notConfigured')}</Chip>
      <input
        type="password"
        autoComplete="new-password"
        value={value}
        placeholder={isSet ? t('settings.replaceSecret') : t('settings.enterSecret')}
        aria-label={t(`settings.secret.${name}`)}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" className="small" disabled={busy || !value}>
        {t('common.save')}
      </button>
    </form>
  );
}

function AuditSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const [run, busy] = useAction();
  const [result, setResult] = useState<AuditVerification | null>(null);

  const verify = async (): Promise<void> => {
    setResult(null);
    const r = await run(() => call('audit.verify', {}));
    if (r) setResult(r);
  };

  return (
    <section className="card">
      <h3>{t('settings.audit')}</h3>
      <p className="hint">{t('settings.auditHint')}</p>
      <button type="button" className="secondary" data-testid="audit-verify" disabled={busy} onClick={() => void verify()}>
        {busy ? t('settings.verifying') : t('settings.verify')}
      </button>
      {result && (
        <p className={result.ok ? 'ok-note' : 'error-note'} data-testid="audit-result" role="status">
          {result.ok
            ? t('settings.auditOk', { count: result.checked, n: f.number(result.checked) })
            : t('settings.auditBroken', {
                id: result.firstBrokenId === null ? '—' : f.number(result.firstBrokenId),
                reason: result.reason ?? '—',
                n: f.number(result.checked),
              })}
        </p>
      )}
    </section>
  );
}
