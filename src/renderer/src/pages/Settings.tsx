import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditVerification } from '../../../shared/api';
import type { ChannelId, Language } from '../../../shared/domain';
import type { SecretName, SettingsView } from '../../../shared/settings';
import { call, transport } from '../api/client';
import { useCall } from '../api/hooks';
import { useLatest } from '../api/useLatest';
import { useAppStatus } from '../appStatus';
import { Chip } from '../components/Chip';
import { ConfirmBar } from '../components/ConfirmBar';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useNotify } from '../components/Notify';
import { useFormat } from '../format';
import { setLanguage } from '../i18n';
import { SETTINGS_PAGES, hashOf, settingsPageOf, useLeaveGuard, useNav, type NavTarget, type SettingsPage } from '../nav';
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
import { SaveBar, UnsavedContext, useUnsaved, type UnsavedApi } from './settings/unsaved';
import { useSectionAnchor } from './settings/useSectionAnchor';
import { WebhookCard } from './settings/WebhookCard';
import './settings/settings.css';

const CHANNELS: ChannelId[] = ['cloud-api', 'linked-device', 'demo'];
const CLOUD_SECRETS: SecretName[] = ['cloudApi.accessToken', 'cloudApi.appSecret', 'cloudApi.verifyToken'];
const OTHER_SECRETS: SecretName[] = ['certificate.password'];

/** Ajustes: one sub-page at a time, each section with its own Save; leaving with unsaved edits asks first. */
export function Settings() {
  const { t, i18n } = useTranslation();
  const { current, goTo } = useNav();
  const { refresh } = useAppStatus();
  const notify = useNotify();
  const [run] = useAction('settings.save');
  // Not refreshed by live events: it would reset fields while someone is typing.
  const loaded = useCall('settings.get', {});
  const [latest, setLatest] = useState<SettingsView | null>(null);
  const view = latest ?? loaded.data;
  const sub = settingsPageOf(current);
  const unsaved = useUnsavedSections();
  const [leaving, setLeaving] = useState<NavTarget | null>(null);
  const discard = useRef(false);

  useLeaveGuard((target) => {
    // Asked even for this same sub-page (its link, a banner's section): every navigation opens the page afresh.
    if (discard.current || unsaved.count === 0) return true;
    setLeaving(target);
    return false;
  });

  // Two sections saved at once answer in any order: an answer is older than one already shown when its save was
  // sent first, and showing it would put back what the later save changed.
  const saves = useLatest();
  const save: Save = async (patch) => {
    const asked = saves.ask();
    const updated = await run(() => call('settings.update', patch));
    if (!updated) return false;
    if (saves.answer(asked)) setLatest(updated);
    if (patch.language) setLanguage(updated.language);
    refresh();
    // `t` still speaks the language this render started in.
    notify.ok(i18n.getFixedT(updated.language)('common.saved'), 'settings.save');
    return true;
  };
  // A section that saves through its own call (a secret, the e-mail) shows the settings it got back: newer than any
  // save still on its way.
  const saved = (updated: SettingsView) => {
    saves.push();
    setLatest(updated);
  };

  return (
    <div className="page settings-page">
      <div className="page-head">
        <h2>{t('nav.settings')}</h2>
      </div>
      <SubNav current={sub} focus={current.settingsPage !== undefined && !current.section} />
      {leaving && (
        <ConfirmBar
          testId="settings-leave"
          yes={t('settings.leaveWithoutSaving')}
          onYes={() => {
            discard.current = true;
            goTo(leaving);
          }}
          onNo={() => setLeaving(null)}
        >
          {t('settings.leaveQuestion')}
        </ConfirmBar>
      )}
      <ErrorNote error={loaded.error} onRetry={loaded.reload} retryLabel={t('common.retry')} />
      {!view ? (
        !loaded.error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <UnsavedContext.Provider value={unsaved.api}>
          <div className="settings" data-testid={`settings-page-${sub}`} role="region" aria-label={t(`settings.pages.${sub}`)}>
            <SubPage page={sub} view={view} save={save} onSaved={saved} />
          </div>
        </UnsavedContext.Provider>
      )}
    </div>
  );
}

/** The sections with edits not saved yet, as a count the leave guard reads. */
function useUnsavedSections(): { count: number; api: UnsavedApi } {
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const mark = useCallback((section: string, isDirty: boolean) => {
    setDirty((set) => {
      if (set.has(section) === isDirty) return set;
      const next = new Set(set);
      if (isDirty) next.add(section);
      else next.delete(section);
      return next;
    });
  }, []);
  const api = useMemo<UnsavedApi>(() => ({ mark }), [mark]);
  return { count: dirty.size, api };
}

/** Links to the sub-pages: real addresses (so they open with the keyboard, and "back" returns), the current one marked. */
function SubNav({ current, focus }: { current: SettingsPage; focus: boolean }) {
  const { t } = useTranslation();
  const { goTo } = useNav();
  const active = useRef<HTMLAnchorElement>(null);
  // Chosen here: the page was rebuilt under the link, so the focus goes back to it.
  useEffect(() => {
    if (focus) active.current?.focus();
  }, [focus]);
  return (
    <nav className="settings-subnav" aria-label={t('settings.pagesLabel')}>
      <ul>
        {SETTINGS_PAGES.map((p) => {
          const target: NavTarget = { page: 'settings', settingsPage: p };
          return (
            <li key={p}>
              <a
                ref={p === current ? active : undefined}
                href={hashOf(target)}
                aria-current={p === current ? 'page' : undefined}
                data-testid={`settings-tab-${p}`}
                onClick={(e) => {
                  e.preventDefault();
                  goTo(target);
                }}
              >
                {t(`settings.pages.${p}`)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function SubPage({
  page,
  view,
  save,
  onSaved,
}: {
  page: SettingsPage;
  view: SettingsView;
  save: Save;
  onSaved: (v: SettingsView) => void;
}): ReactNode {
  switch (page) {
    case 'general':
      return <GeneralSection view={view} save={save} />;
    case 'whatsapp':
      return (
        <>
          <ChannelSection view={view} save={save} />
          {/* The phone comes first when it is the channel; otherwise it waits at the end, with a note. */}
          {view.channel === 'linked-device' && <LinkedDeviceSection view={view} save={save} />}
          <SendingSection view={view} save={save} />
          <CloudApiSection view={view} save={save} keys={<SecretRows names={CLOUD_SECRETS} view={view} onSaved={onSaved} />} />
          <WebhookCard />
          <TemplatesCard />
          <TestSendCard />
          {view.channel !== 'linked-device' && <LinkedDeviceSection view={view} save={save} />}
        </>
      );
    case 'reminders':
      return <RemindersSection />;
    case 'documents':
      return (
        <>
          <CertificateSection view={view} save={save} />
          <RoutingSection view={view} save={save} />
        </>
      );
    case 'sources':
      return (
        <>
          <FolderSourceSection view={view} save={save} />
          <Hl7Section view={view} save={save} />
          <ClinicDbSection view={view} />
        </>
      );
    case 'email':
      return <EmailSection view={view} save={save} onSaved={onSaved} />;
    case 'people':
      return <PeopleSection view={view} save={save} />;
    case 'backups':
      return (
        <>
          <BackupSection />
          <RestoreSection />
          <JobsSection />
        </>
      );
    case 'advanced':
      return (
        <>
          <SecretsSection view={view} onSaved={onSaved} />
          <RemoteAccessCard />
          <AuditSection />
        </>
      );
  }
}

/** The clinic's name, the language and starting with the computer: one form, one Save. */
function GeneralSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const anchor = useSectionAnchor<HTMLElement>('general');
  const [clinicName, setClinicName] = useState(view.clinicName);
  const [language, setLanguageChoice] = useState<Language>(view.language);
  const [openAtLogin, setOpenAtLogin] = useState(view.openAtLogin);
  const [tried, setTried] = useState(false);
  const name = clinicName.trim();
  // Shown after a Save was refused, and gone as soon as the name is there again.
  const invalid = tried && !name;
  const dirty = name !== view.clinicName || language !== view.language || openAtLogin !== view.openAtLogin;
  useUnsaved('general', dirty);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    if (!name) return;
    void save({
      ...(name !== view.clinicName ? { clinicName: name } : {}),
      ...(language !== view.language ? { language } : {}),
      ...(openAtLogin !== view.openAtLogin ? { openAtLogin } : {}),
    });
  };

  return (
    <section className="card" ref={anchor} data-testid="settings-general">
      <h3>{t('settings.general')}</h3>
      <form className="form-grid" onSubmit={submit} noValidate>
        <label className="field span-all">
          <span>{t('settings.clinicName')}</span>
          <input
            value={clinicName}
            onChange={(e) => setClinicName(e.target.value)}
            aria-invalid={invalid}
            data-testid="settings-clinic-name"
          />
          {invalid && <small className="field-error">{t('wizard.errors.clinicName')}</small>}
        </label>
        <label className="field">
          <span>{t('settings.language')}</span>
          <select value={language} onChange={(e) => setLanguageChoice(e.target.value as Language)} data-testid="settings-language">
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
          {/* On the desktop, Chromium's locale (date and time fields) is chosen at start; see desktop/ui-locale.ts. */}
          {transport === 'ipc' && <small className="hint" data-testid="settings-language-next-start">{t('settings.languageNextStart')}</small>}
        </label>
        <label className="check span-all">
          <input type="checkbox" checked={openAtLogin} onChange={(e) => setOpenAtLogin(e.target.checked)} data-testid="settings-open-at-login" />
          <span>{t('settings.openAtLogin')}</span>
        </label>
        <SaveBar dirty={dirty} testId="settings-general-save" />
      </form>
    </section>
  );
}

/** Which way messages leave: the Cloud API, the clinic's phone, or the demo. */
function ChannelSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const anchor = useSectionAnchor<HTMLElement>('channel');
  const [channel, setChannel] = useState<ChannelId | ''>(view.channel ?? '');
  const dirty = channel !== (view.channel ?? '');
  useUnsaved('channel', dirty);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (channel) void save({ channel });
  };

  return (
    <section className="card" ref={anchor} data-testid="settings-channel">
      <h3>{t('settings.channel')}</h3>
      <form className="form-grid" onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('settings.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as ChannelId)} data-testid="settings-channel-select">
            {view.channel === null && <option value="">{t('channel.none')}</option>}
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <SaveBar dirty={dirty} disabled={!channel} testId="settings-channel-save" />
      </form>
    </section>
  );
}

/** The keys that are not the Cloud API's (those sit with its settings, on the WhatsApp sub-page). */
function SecretsSection({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const anchor = useSectionAnchor<HTMLElement>('secrets');
  return (
    <section className="card" ref={anchor} data-testid="settings-secrets">
      <h3>{t('settings.secrets')}</h3>
      <SecretRows names={OTHER_SECRETS} view={view} onSaved={onSaved} />
    </section>
  );
}

function SecretRows({ names, view, onSaved }: { names: SecretName[]; view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  return (
    <div className="subsection" data-testid="secret-rows">
      <p className="hint">{t('settings.secretsHint')}</p>
      <div className="secrets">
        {names.map((name) => (
          <SecretRow key={name} name={name} isSet={view.secrets[name]} onSaved={onSaved} />
        ))}
      </div>
    </div>
  );
}

function SecretRow({ name, isSet, onSaved }: { name: SecretName; isSet: boolean; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { refresh } = useAppStatus();
  const [value, setValue] = useState('');
  const [run, busy] = useAction(`secret.${name}`);
  useUnsaved(`secret.${name}`, value !== '');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!value) return;
    const updated = await run(() => call('secrets.set', { name, value }));
    if (!updated) return;
    // Write-only: the value leaves the page as soon as the core has it.
    setValue('');
    onSaved(updated);
    // A key can make the channel ready: the header says so at once.
    refresh();
    notify.ok(t('common.saved'), `secret.${name}`);
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
        data-testid={`secret-${name}`}
      />
      <button type="submit" className="small" disabled={busy || !value} data-testid={`secret-save-${name}`}>
        {t('common.save')}
      </button>
    </form>
  );
}

function AuditSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const anchor = useSectionAnchor<HTMLElement>('audit');
  const [run, busy] = useAction();
  const [result, setResult] = useState<AuditVerification | null>(null);

  const verify = async (): Promise<void> => {
    setResult(null);
    const r = await run(() => call('audit.verify', {}));
    if (r) setResult(r);
  };

  return (
    <section className="card" ref={anchor}>
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
