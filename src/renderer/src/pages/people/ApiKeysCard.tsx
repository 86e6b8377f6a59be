import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { API_SCOPES, type ApiScope } from '../../../../shared/people';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Field } from '../../components/Field';
import { useAction } from '../../components/Notify';
import { useFormat } from '../../format';
import { UnsavedNote, useUnsaved } from '../settings/unsaved';

/** API keys for the clinic's other systems: created with scopes, shown once, revocable. */
export function ApiKeysCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const [run, busy] = useAction();
  const keys = useCall('apiKeys.list', {});
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['read_statuses']);
  const [shown, setShown] = useState<string | null>(null);
  const typed = name.trim() !== '';
  useUnsaved('api-key-new', typed);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() => call('apiKeys.create', { name, scopes }));
    if (!created) return;
    setShown(created.key);
    setName('');
    keys.reload();
  };
  return (
    <div data-testid="api-keys">
      <h4>{t('apiKeys.title')}</h4>
      <p className="hint">{t('apiKeys.hint')}</p>
      {shown && (
        <p className="notice" role="status">
          {t('apiKeys.shownOnce')} <code data-testid="api-key-shown">{shown}</code>
        </p>
      )}
      <ul>
        {(keys.data ?? []).map((k) => (
          <li key={k.id} className={k.revokedAt ? 'muted' : ''}>
            <strong>{k.name}</strong> <code>{k.prefix}…</code> · {k.scopes.map((s) => t(`apiKeys.scope.${s}`)).join(', ')} ·{' '}
            {k.lastUsedAt ? t('apiKeys.lastUsed', { when: f.dateTime(k.lastUsedAt) }) : t('apiKeys.neverUsed')}
            {k.revokedAt ? (
              <> · {t('apiKeys.revoked')}</>
            ) : (
              <button type="button" className="secondary small" disabled={busy} onClick={() => void run(() => call('apiKeys.revoke', { id: k.id })).then(() => keys.reload())}>
                {t('apiKeys.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="form-grid" onSubmit={(e) => void create(e)}>
        <Field label={t('apiKeys.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />
        </Field>
        <div className="field span-all">
          <span>{t('apiKeys.scopes')}</span>
          <span className="row wrap">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
                />
                <span>{t(`apiKeys.scope.${scope}`)}</span>
              </label>
            ))}
          </span>
        </div>
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={typed} />
          <button type="submit" disabled={busy || !name || scopes.length === 0} data-testid="api-key-create">
            {t('apiKeys.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
