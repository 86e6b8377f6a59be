import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonCard, SessionView } from '../../../shared/people';
import { call, login, toApiError } from '../api/client';

/**
 * Who is at the screen. A fresh install (or one updated from before people existed) creates its first administrator;
 * the desktop shows its lock screen (pick a person, type the PIN or password); a browser signs in by document number.
 */
export function SignIn({ session, onSignedIn }: { session: SessionView; onSignedIn: () => void }) {
  if (session.needsFirstAdmin) return <FirstAdmin onDone={onSignedIn} />;
  if (session.transport === 'desktop') return <LockScreen clinicName={session.clinicName} onUnlocked={onSignedIn} />;
  return <BrowserLogin clinicName={session.clinicName} onLoggedIn={onSignedIn} />;
}

function useSubmit(work: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="error-note" role="alert">
      {error}
    </p>
  ) : null;
}

function BrowserLogin({ clinicName, onLoggedIn }: { clinicName: string; onLoggedIn: () => void }) {
  const { t } = useTranslation();
  const [documentNumber, setDocumentNumber] = useState('');
  const [secret, setSecret] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await login(documentNumber, secret);
    onLoggedIn();
  });
  return (
    <div className="wizard-screen">
      <form className="card login" onSubmit={(e) => void submit(e)}>
        <div className="brand">Avisa</div>
        <h1>{t('login.title')}</h1>
        {clinicName && <p className="muted">{clinicName}</p>}
        <p className="hint">{t('login.hint')}</p>
        <label className="field">
          <span>{t('login.document')}</span>
          <input
            data-testid="login-document"
            autoComplete="username"
            value={documentNumber}
            onChange={(e) => setDocumentNumber(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span>{t('login.secret')}</span>
          <input
            type="password"
            data-testid="login-secret"
            autoComplete="current-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <ErrorLine error={error} />
        <button type="submit" data-testid="login-submit" disabled={busy || !documentNumber || !secret}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}

function LockScreen({ clinicName, onUnlocked }: { clinicName: string; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [people, setPeople] = useState<PersonCard[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<PersonCard | null>(null);
  const [secret, setSecret] = useState('');
  const secretField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    call('session.people', {}).then(setPeople, (e: unknown) => setLoadError(toApiError(e).message));
  }, []);
  const { submit, error, busy } = useSubmit(async () => {
    if (!chosen) return;
    try {
      await call('session.unlock', { personId: chosen.id, secret });
    } catch (e) {
      // A mistyped PIN is typed again from an empty field, where the focus is.
      setSecret('');
      secretField.current?.focus();
      throw e;
    }
    onUnlocked();
  });
  return (
    // The lock screen is the whole window: its content is the page's main landmark.
    <main className="wizard-screen">
      <form className="card login" onSubmit={(e) => void submit(e)}>
        <div className="brand">Avisa</div>
        <h1>{t('lock.title')}</h1>
        {clinicName && <p className="muted">{clinicName}</p>}
        <p className="hint">{t('lock.hint')}</p>
        <ErrorLine error={loadError} />
        {/* Toggle buttons, one per person: Tab reaches each, and a screen reader hears which one is chosen. */}
        <div className="lock-people" role="group" aria-label={t('lock.who')}>
          {people.map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={chosen?.id === p.id}
              className={chosen?.id === p.id ? '' : 'secondary'}
              data-testid={`lock-person-${p.id}`}
              onClick={() => {
                setChosen(p);
                setSecret('');
              }}
            >
              {p.name}
            </button>
          ))}
        </div>
        {chosen && (
          <label className="field">
            <span>{chosen.secretKind === 'pin' ? t('lock.pin') : t('lock.password')}</span>
            <input
              ref={secretField}
              type="password"
              inputMode={chosen.secretKind === 'pin' ? 'numeric' : undefined}
              data-testid="lock-secret"
              autoComplete="current-password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoFocus
            />
          </label>
        )}
        <ErrorLine error={error} />
        <button type="submit" data-testid="lock-submit" disabled={busy || !chosen || !secret}>
          {t('lock.unlock')}
        </button>
      </form>
    </main>
  );
}

function FirstAdmin({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [documentNumber, setDocumentNumber] = useState('');
  const [professional, setProfessional] = useState(false);
  const [registryNumber, setRegistryNumber] = useState('');
  const [secretKind, setSecretKind] = useState<'password' | 'pin'>('password');
  const [secret, setSecret] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await call('people.bootstrap', {
      name,
      documentNumber,
      roles: professional ? ['admin', 'reception', 'professional'] : ['admin', 'reception'],
      registryNumber: professional ? registryNumber : null,
      secretKind,
      secret,
    });
    // A browser still has to sign in (the session is a cookie only the sign-in sets); the desktop is unlocked already.
    if (!window.avisa) await login(documentNumber, secret);
    onDone();
  });
  return (
    <div className="wizard-screen">
      <form className="card login" onSubmit={(e) => void submit(e)}>
        <div className="brand">Avisa</div>
        <h1>{t('firstAdmin.title')}</h1>
        <p className="hint">{t('firstAdmin.hint')}</p>
        <label className="field">
          <span>{t('people.name')}</span>
          <input data-testid="first-admin-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>{t('people.document')}</span>
          <input data-testid="first-admin-document" value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={professional}
            onChange={(e) => setProfessional(e.target.checked)}
            data-testid="first-admin-professional"
          />
          {t('firstAdmin.alsoProfessional')}
        </label>
        {professional && (
          <label className="field">
            <span>{t('people.registry')}</span>
            <input data-testid="first-admin-registry" value={registryNumber} onChange={(e) => setRegistryNumber(e.target.value)} />
          </label>
        )}
        <label className="field">
          <span>{t('people.secretKind')}</span>
          <select value={secretKind} onChange={(e) => setSecretKind(e.target.value as 'password' | 'pin')} data-testid="first-admin-kind">
            <option value="password">{t('people.kindPassword')}</option>
            <option value="pin">{t('people.kindPin')}</option>
          </select>
        </label>
        <label className="field">
          <span>{secretKind === 'pin' ? t('lock.pin') : t('lock.password')}</span>
          <input
            type="password"
            autoComplete="new-password"
            data-testid="first-admin-secret"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <ErrorLine error={error} />
        <button type="submit" data-testid="first-admin-submit" disabled={busy || !name || !documentNumber || !secret}>
          {t('firstAdmin.create')}
        </button>
      </form>
    </div>
  );
}
