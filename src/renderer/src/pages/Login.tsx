import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { login, toApiError } from '../api/client';

/** Server mode only: shown when the server refuses the token (none saved yet, or it changed). */
export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!password) return;
    setBusy(true);
    setError(null);
    try {
      await login(password);
      onLoggedIn();
    } catch (e) {
      const apiError = toApiError(e);
      // The server's 401 text talks about tokens; here the person typed a password.
      setError(apiError.code === 'unauthorized' ? t('login.wrong') : apiError.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wizard-screen">
      <form className="card login" onSubmit={(e) => void submit(e)}>
        <div className="brand">Avisa</div>
        <h1>{t('login.title')}</h1>
        <p className="hint">{t('login.hint')}</p>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            data-testid="login-password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
          />
        </label>
        {error && (
          <p className="error-note" role="alert">
            {error}
          </p>
        )}
        <button type="submit" data-testid="login-submit" disabled={busy || !password}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
