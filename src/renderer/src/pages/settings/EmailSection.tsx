import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmailTestResult } from '../../../../shared/api';
import type { EmailSettingsView, SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { Chip } from '../../components/Chip';
import { Field } from '../../components/Field';
import { useAction, useNotify } from '../../components/Notify';
import type { Save } from './types';
import { wholeNumber } from './SendingSection';
import { UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

const SECURITY: EmailSettingsView['security'][] = ['starttls', 'tls', 'none'];

/** Ajustes → Correo (SMTP): the clinic's mail server, for e-mail copies of what WhatsApp could not deliver. */
export function EmailSection({ view, save, onSaved }: { view: SettingsView; save: Save; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const e = view.email;
  const [fallback, setFallback] = useState(e.fallback);
  const [host, setHost] = useState(e.host);
  const [port, setPort] = useState(String(e.port));
  const [security, setSecurity] = useState(e.security);
  const [user, setUser] = useState(e.user);
  const [fromAddress, setFromAddress] = useState(e.fromAddress);
  const [fromName, setFromName] = useState(e.fromName);
  const [password, setPassword] = useState('');
  const [testTo, setTestTo] = useState('');
  const [test, setTest] = useState<EmailTestResult | null>(null);
  const portNumber = wholeNumber(port, 1, 65535);
  const fromInvalid = fromAddress.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fromAddress.trim());
  const invalid = portNumber === null || fromInvalid || (fallback && (!host.trim() || !fromAddress.trim()));
  const dirty =
    fallback !== e.fallback ||
    host.trim() !== e.host ||
    portNumber !== e.port ||
    security !== e.security ||
    user.trim() !== e.user ||
    fromAddress.trim() !== e.fromAddress ||
    fromName.trim() !== e.fromName ||
    password !== '';
  useUnsaved('email', dirty);
  const anchor = useSectionAnchor<HTMLElement>('email');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (invalid) return;
    await save({
      email: { fallback, host: host.trim(), port: portNumber, security, user: user.trim(), fromAddress: fromAddress.trim(), fromName: fromName.trim() },
    });
    // After the server is saved: the password belongs to the server it is entered for.
    if (password) {
      // Write-only, like every secret: the value leaves the page as soon as the core has it.
      const updated = await run(() => call('secrets.set', { name: 'email.password', value: password }));
      if (!updated) return;
      setPassword('');
      onSaved(updated);
    }
  };

  const sendTest = async (): Promise<void> => {
    setTest(null);
    const result = await run(() => call('email.sendTest', { to: testTo.trim() }));
    if (!result) return;
    setTest(result);
    if (result.ok) notify.ok(t('smtp.testSent', { to: testTo.trim() }));
  };

  return (
    <section className="card settings-group" data-testid="settings-email" ref={anchor}>
      <h3>{t('smtp.title')}</h3>
      <p className="hint">{t('smtp.hint')}</p>
      <form className="form-grid" onSubmit={(ev) => void submit(ev)} noValidate>
        <label className="check span-all">
          <input type="checkbox" checked={fallback} onChange={(ev) => setFallback(ev.target.checked)} data-testid="email-fallback" />
          <span>{t('smtp.fallback')}</span>
        </label>
        <Field label={t('smtp.host')}>
          <input value={host} onChange={(ev) => setHost(ev.target.value)} placeholder="smtp.clinica.pe" data-testid="email-host" />
        </Field>
        <Field label={t('smtp.port')} error={portNumber === null ? t('hl7.portError') : null}>
          <input type="number" min={1} max={65535} value={port} onChange={(ev) => setPort(ev.target.value)} data-testid="email-port" />
        </Field>
        <Field label={t('smtp.security')}>
          <select value={security} onChange={(ev) => setSecurity(ev.target.value as EmailSettingsView['security'])} data-testid="email-security">
            {SECURITY.map((s) => (
              <option key={s} value={s}>
                {t(`smtp.securityOption.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('smtp.user')}>
          <input value={user} autoComplete="off" onChange={(ev) => setUser(ev.target.value)} data-testid="email-user" />
        </Field>
        <Field
          label={
            <>
              {t('smtp.password')}{' '}
              <Chip tone={view.secrets['email.password'] ? 'good' : 'muted'}>
                {view.secrets['email.password'] ? t('settings.configured') : t('settings.notConfigured')}
              </Chip>
            </>
          }
        >
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            placeholder={view.secrets['email.password'] ? t('settings.replaceSecret') : t('settings.enterSecret')}
            onChange={(ev) => setPassword(ev.target.value)}
            data-testid="email-password"
          />
        </Field>
        <Field label={t('smtp.fromAddress')} error={fromInvalid ? t('smtp.fromInvalid') : null}>
          <input type="email" value={fromAddress} onChange={(ev) => setFromAddress(ev.target.value)} placeholder="avisos@clinica.pe" data-testid="email-from" />
        </Field>
        <Field label={t('smtp.fromName')}>
          <input value={fromName} onChange={(ev) => setFromName(ev.target.value)} placeholder={view.clinicName} data-testid="email-from-name" />
        </Field>
        {fallback && (!host.trim() || !fromAddress.trim()) && <p className="field-error span-all">{t('smtp.needed')}</p>}
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={dirty} />
          <button type="submit" disabled={invalid || busy} data-testid="email-save">
            {t('common.save')}
          </button>
        </div>
      </form>
      <div className="form-grid">
        <Field label={t('smtp.testTo')} hint={t('smtp.testHint')}>
          <input type="email" value={testTo} onChange={(ev) => setTestTo(ev.target.value)} data-testid="email-test-to" />
        </Field>
        <div className="form-actions">
          <button type="button" className="secondary" disabled={busy || !testTo.trim()} onClick={() => void sendTest()} data-testid="email-test">
            {t('smtp.test')}
          </button>
        </div>
        {test && !test.ok && (
          <p className="field-error span-all" data-testid="email-test-error">
            {test.error} {test.code && <code>{test.code}</code>}
          </p>
        )}
      </div>
    </section>
  );
}
