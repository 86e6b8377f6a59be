import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceptionSettings, ReceptionTest, ReceptionView } from '../../../../shared/reception';
import { call } from '../../api/client';
import { useReception } from '../../api/settingsResources';
import { useAppStatus } from '../../appStatus';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';
import { UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

/**
 * "Recepción de estados y respuestas": how Meta's webhooks reach this workstation (the clinic's own address, a
 * Cloudflare Tunnel Avisa runs, or none), whether Meta accepted the address, and proof that a webhook gets through.
 */
export function WebhookCard() {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const ref = useSectionAnchor<HTMLElement>('reception');
  const loaded = useReception();
  const view = loaded.data;
  // "hace N min" and the silence alarm change with time alone, with no event to say so: asked again each minute.
  useEffect(() => {
    const timer = setInterval(loaded.reload, 60_000);
    return () => clearInterval(timer);
  }, [loaded.reload]);
  const webhook = status.webhook;

  return (
    <section className="card" data-testid="settings-webhook" ref={ref}>
      <h3>{t('reception.title')}</h3>
      <p className="hint">{t('reception.hint')}</p>
      {!webhook ? (
        <p className="muted">{t('settings.webhookOff')}</p>
      ) : webhook.listening ? (
        <p data-testid="webhook-status" data-listening="true">
          <Chip tone="good">{t('settings.webhookListening', { port: webhook.port })}</Chip>
        </p>
      ) : (
        <div data-testid="webhook-status" data-listening="false">
          <p>
            <Chip tone="bad">{t('settings.webhookDown', { port: webhook.port })}</Chip>
          </p>
          {webhook.error && <p className="error-note">{webhook.error}</p>}
        </div>
      )}
      <ErrorNote error={loaded.error} />
      {view && (
        <>
          <ReceptionForm view={view} onSaved={loaded.reload} />
          <ReceptionState view={view} onChanged={loaded.reload} />
        </>
      )}
    </section>
  );
}

function ReceptionForm({ view, onSaved }: { view: ReceptionView; onSaved: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ReceptionSettings>(view.settings);
  const [minutes, setMinutes] = useState(String(view.settings.silenceMinutes));
  const [token, setToken] = useState('');
  const { run, busy, error, clearError } = useFormAction();
  const set = <K extends keyof ReceptionSettings>(key: K, value: ReceptionSettings[K]) => {
    // What the core refused was about the fields as they were: an edit makes it stale.
    clearError();
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const minutesValid = /^\d+$/.test(minutes.trim()) && Number(minutes) >= 1 && Number(minutes) <= 1440;
  const dirty =
    JSON.stringify(draft) !== JSON.stringify(view.settings) || minutes.trim() !== String(view.settings.silenceMinutes) || token.trim() !== '';
  useUnsaved('reception', dirty);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!minutesValid) return;
    const saved = await run(async () => {
      if (token.trim()) await call('secrets.set', { name: 'cloudApi.tunnelToken', value: token.trim() });
      return call('reception.configure', {
        ...draft,
        publicUrl: draft.publicUrl.trim(),
        tunnelHostname: draft.tunnelHostname.trim(),
        cloudflaredPath: draft.cloudflaredPath.trim(),
        silenceMinutes: Number(minutes),
      });
    });
    if (saved) {
      setToken('');
      onSaved();
    }
  };

  const modes: ReceptionSettings['mode'][] = ['tunnel', 'own', 'none'];
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="reception-form">
      <fieldset className="span-all choices reception-choices">
        <legend>{t('reception.mode')}</legend>
        {modes.map((mode) => (
          <label className={draft.mode === mode ? 'choice selected' : 'choice'} key={mode}>
            <input type="radio" name="reception-mode" checked={draft.mode === mode} onChange={() => set('mode', mode)} data-testid={`reception-mode-${mode}`} />
            <span>
              <strong>{t(`reception.modes.${mode}`)}</strong>
              <small>{t(`reception.modeHints.${mode}`)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      {draft.mode === 'own' && (
        <label className="field span-all">
          <span>{t('reception.publicUrl')}</span>
          <input value={draft.publicUrl} onChange={(e) => set('publicUrl', e.target.value)} placeholder="https://clinica.pe/whatsapp/webhook" spellCheck={false} data-testid="reception-public-url" />
          <small className="hint">{t('reception.publicUrlHint', { port: view.localPort ?? '…' })}</small>
        </label>
      )}
      {draft.mode === 'tunnel' && (
        <>
          <fieldset className="span-all choices reception-choices">
            <legend>{t('reception.tunnelKind')}</legend>
            {(['named', 'quick'] as const).map((kind) => (
              <label className={draft.tunnel === kind ? 'choice selected' : 'choice'} key={kind}>
                <input type="radio" name="reception-tunnel" checked={draft.tunnel === kind} onChange={() => set('tunnel', kind)} data-testid={`reception-tunnel-${kind}`} />
                <span>
                  <strong>{t(`reception.tunnels.${kind}`)}</strong>
                  <small>{t(`reception.tunnelHints.${kind}`)}</small>
                </span>
              </label>
            ))}
          </fieldset>
          {draft.tunnel === 'named' && (
            <>
              <label className="field">
                <span>{t('settings.secret.cloudApi.tunnelToken')}</span>
                <input
                  type="password"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  placeholder={view.tunnelTokenSet ? t('settings.replaceSecret') : t('settings.enterSecret')}
                  autoComplete="off"
                  data-testid="reception-tunnel-token"
                />
                <small className="hint">{view.tunnelTokenSet ? t('settings.configured') : t('settings.notConfigured')}</small>
              </label>
              <label className="field">
                <span>{t('reception.tunnelHostname')}</span>
                <input value={draft.tunnelHostname} onChange={(e) => set('tunnelHostname', e.target.value)} placeholder="avisa.clinica.pe" spellCheck={false} data-testid="reception-tunnel-hostname" />
                <small className="hint">{t('reception.tunnelHostnameHint', { port: view.localPort ?? '…' })}</small>
              </label>
            </>
          )}
          <label className="field span-all">
            <span>{t('reception.cloudflaredPath')}</span>
            <input value={draft.cloudflaredPath} onChange={(e) => set('cloudflaredPath', e.target.value)} spellCheck={false} data-testid="reception-cloudflared-path" />
            <small className="hint">{t('reception.cloudflaredPathHint')}</small>
          </label>
        </>
      )}
      {draft.mode === 'none' && <p className="banner banner-warn span-all">{t('reception.noneWarning')}</p>}
      {draft.mode !== 'none' && (
        <label className="field">
          <span>{t('reception.scope')}</span>
          <select value={draft.overrideScope} onChange={(e) => set('overrideScope', e.target.value === 'waba' ? 'waba' : 'phone')} data-testid="reception-scope">
            <option value="phone">{t('reception.scopes.phone')}</option>
            <option value="waba">{t('reception.scopes.waba')}</option>
          </select>
        </label>
      )}
      <label className="field">
        <span>{t('reception.silenceMinutes')}</span>
        <input value={minutes} inputMode="numeric" onChange={(e) => setMinutes(e.target.value)} aria-invalid={!minutesValid} data-testid="reception-silence" />
        {minutesValid ? <small className="hint">{t('reception.silenceHint')}</small> : <small className="field-error">{t('reception.silenceError')}</small>}
      </label>
      <ErrorNote error={error} />
      <div className="form-actions span-all save-bar">
        <UnsavedNote dirty={dirty} />
        <button type="submit" disabled={busy} data-testid="reception-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function ReceptionState({ view, onChanged }: { view: ReceptionView; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { run, busy, error } = useFormAction();
  const [test, setTest] = useState<ReceptionTest | null>(null);
  // Counted from the core's clock when it answered, not the browser's.
  const ago = (at: number) => t('reception.ago', { minutes: f.number(Math.max(0, Math.round((view.at - at) / 60_000))) });

  const probe = async (): Promise<void> => {
    setTest(null);
    const result = await run(() => call('reception.test', {}));
    if (!result) return;
    setTest(result);
    // The test's own webhook is now the last one received.
    onChanged();
  };
  const register = async (): Promise<void> => {
    const result = await run(() => call('reception.register', {}));
    if (result) onChanged();
  };

  return (
    <div className="subsection" data-testid="reception-state">
      <dl className="facts">
        {view.tunnel && (
          <>
            <dt>{t('reception.tunnelState')}</dt>
            <dd data-testid="reception-tunnel-state" data-state={view.tunnel.state}>
              <Chip tone={view.tunnel.state === 'up' ? 'good' : view.tunnel.state === 'starting' ? 'info' : 'bad'}>{t(`reception.tunnelStates.${view.tunnel.state}`)}</Chip>
              {view.tunnel.detail && view.tunnel.state !== 'up' && <small className="hint"> {view.tunnel.detail}</small>}
            </dd>
          </>
        )}
        <dt>{t('reception.publicAddress')}</dt>
        <dd data-testid="reception-address">{view.publicAddress ?? '—'}</dd>
        <dt>{t('reception.registered')}</dt>
        <dd data-testid="reception-registered">
          {view.registered ? t('reception.registeredAt', { when: f.moment(view.registered.at), address: view.registered.address }) : t('reception.notRegistered')}
        </dd>
        {view.registrationError && (
          <>
            <dt>{t('reception.registrationError')}</dt>
            <dd className="error-note" data-testid="reception-registration-error">
              {view.registrationError.reason} <small>({t('reception.code', { code: view.registrationError.code })})</small>
            </dd>
          </>
        )}
        <dt>{t('reception.lastWebhook')}</dt>
        <dd data-testid="reception-last-webhook">{view.lastWebhookAt !== null ? ago(view.lastWebhookAt) : t('reception.never')}</dd>
        <dt>{t('reception.refused')}</dt>
        <dd data-testid="reception-refused">{f.number(view.refusedLast24h)}</dd>
      </dl>
      {view.silentSince !== null && (
        <p className="banner banner-warn" data-testid="reception-silent">
          {t('reception.silent', { since: f.moment(view.silentSince) })}
        </p>
      )}
      <div className="row">
        <button type="button" className="secondary" disabled={busy || !view.publicAddress} onClick={() => void register()} data-testid="reception-register">
          {t('reception.registerNow')}
        </button>
        <button type="button" disabled={busy || !view.publicAddress} onClick={() => void probe()} data-testid="reception-test">
          {busy ? t('settings.checking') : t('reception.test')}
        </button>
      </div>
      <ErrorNote error={error} />
      {test && (
        <p className={test.ok ? 'ok-note' : 'error-note'} data-testid="reception-test-result" data-ok={String(test.ok)}>
          {test.ok ? t('reception.testOk', { ms: f.number(test.ms ?? 0) }) : test.reason}
        </p>
      )}
    </div>
  );
}
