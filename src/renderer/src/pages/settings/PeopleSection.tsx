import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { API_SCOPES, type ApiScope, type PersonView, type Role } from '../../../../shared/people';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { useAction, useNotify } from '../../components/Notify';
import { useFormat } from '../../format';
import { PersonDetailsForm } from '../people/PersonDetailsForm';
import { ResetSecretForm } from '../people/ResetSecretForm';
import { RoleChecks } from '../people/RoleChecks';
import type { Save } from './types';

const KINDS = ['result', 'certificate', 'attestation', 'receipt'] as const;

/** Ajustes → Personas: who may sign in and with which roles, API keys, the auto-lock, and what needs validation. */
export function PeopleSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const people = useCall('people.list', {}, false);
  return (
    <section className="card settings-group" data-testid="settings-people">
      <h3>{t('people.title')}</h3>
      <p className="hint">{t('people.hint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('people.name')}</th>
            <th>{t('people.document')}</th>
            <th>{t('people.roles')}</th>
            <th>{t('people.registry')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(people.data ?? []).map((p) => (
            <PersonRow key={p.id} person={p} onChanged={people.reload} />
          ))}
        </tbody>
      </table>
      <NewPerson onCreated={people.reload} />
      <LockAndSignOff view={view} save={save} />
      <ApiKeys />
    </section>
  );
}

function PersonRow({ person, onChanged }: { person: PersonView; onChanged: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [editing, setEditing] = useState(false);
  const editorId = `person-${person.id}-editor`;
  const saved = () => {
    setEditing(false);
    onChanged();
  };
  return (
    <>
      <tr data-testid={`person-${person.id}`} className={person.active ? '' : 'muted'}>
        <td>
          {person.name}
          {!person.active && <> · {t('people.inactive')}</>}
        </td>
        <td>{person.documentNumber}</td>
        <td>{person.roles.map((r) => t(`people.role.${r}`)).join(', ')}</td>
        <td data-testid={`person-${person.id}-registry-shown`}>{person.registryNumber ?? t('common.none')}</td>
        <td className="row wrap">
          <button
            type="button"
            className="secondary small"
            aria-expanded={editing}
            aria-controls={editorId}
            onClick={() => setEditing(!editing)}
            data-testid={`person-${person.id}-edit`}
          >
            {t('people.edit')}
          </button>
          <button
            type="button"
            className="secondary small"
            disabled={busy}
            onClick={() => void run(() => call('people.revokeSessions', { id: person.id })).then((r) => r && notify.ok(t('people.revoked', { count: r.revoked })))}
          >
            {t('people.revokeSessions')}
          </button>
        </td>
      </tr>
      {editing && (
        <tr id={editorId}>
          <td colSpan={5}>
            <h4>{t('people.editTitle', { name: person.name })}</h4>
            <PersonDetailsForm person={person} onSaved={saved} />
            <ResetSecretForm person={person} onDone={saved} />
          </td>
        </tr>
      )}
    </>
  );
}

function NewPerson({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [name, setName] = useState('');
  const [documentNumber, setDocumentNumber] = useState('');
  const [roles, setRoles] = useState<Role[]>(['reception']);
  const [registryNumber, setRegistryNumber] = useState('');
  const [secretKind, setSecretKind] = useState<'password' | 'pin'>('pin');
  const [secret, setSecret] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await run(() =>
      call('people.create', { name, documentNumber, roles, registryNumber: registryNumber || null, secretKind, secret }),
    );
    if (!created) return;
    notify.ok(t('people.created', { name: created.name }));
    setName('');
    setDocumentNumber('');
    setRegistryNumber('');
    setSecret('');
    onCreated();
  };
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} data-testid="people-new">
      <h4 className="span-all">{t('people.add')}</h4>
      <label className="field">
        <span>{t('people.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="people-new-name" />
      </label>
      <label className="field">
        <span>{t('people.document')}</span>
        <input value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} data-testid="people-new-document" />
      </label>
      <div className="field span-all">
        <span>{t('people.roles')}</span>
        <RoleChecks roles={roles} onChange={setRoles} prefix="people-new" />
      </div>
      {roles.includes('professional') && (
        <label className="field">
          <span>{t('people.registry')}</span>
          <input value={registryNumber} onChange={(e) => setRegistryNumber(e.target.value)} data-testid="people-new-registry" />
        </label>
      )}
      <label className="field">
        <span>{t('people.secretKind')}</span>
        <select value={secretKind} onChange={(e) => setSecretKind(e.target.value as 'password' | 'pin')} data-testid="people-new-kind">
          <option value="pin">{t('people.kindPin')}</option>
          <option value="password">{t('people.kindPassword')}</option>
        </select>
      </label>
      <label className="field">
        <span>{secretKind === 'pin' ? t('lock.pin') : t('lock.password')}</span>
        <input type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} data-testid="people-new-secret" />
      </label>
      <div className="form-actions span-all">
        <button type="submit" disabled={busy || !name || !documentNumber || !secret || roles.length === 0} data-testid="people-new-save">
          {t('people.add')}
        </button>
      </div>
    </form>
  );
}

function LockAndSignOff({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(String(view.people.autoLockMinutes));
  const [receptionLaunches, setReceptionLaunches] = useState(view.people.receptionLaunchesCampaigns);
  const [kinds, setKinds] = useState(view.signOff.requiredKinds);
  const [trusted, setTrusted] = useState(view.signOff.trustedSources.join(', '));
  const value = Number(minutes);
  const invalid = !Number.isInteger(value) || value < 0 || value > 240;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    void save({
      people: { autoLockMinutes: value, receptionLaunchesCampaigns: receptionLaunches },
      signOff: { requiredKinds: kinds, trustedSources: trusted.split(',').map((s) => s.trim()).filter(Boolean) },
    });
  };
  return (
    <form className="form-grid" onSubmit={submit} data-testid="people-rules">
      <h4 className="span-all">{t('people.rules')}</h4>
      <label className="field">
        <span>{t('people.autoLock')}</span>
        <input type="number" min={0} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={invalid} data-testid="people-autolock" />
        <small className="hint">{t('people.autoLockHint')}</small>
      </label>
      <label className="check span-all">
        <input
          type="checkbox"
          checked={receptionLaunches}
          onChange={(e) => setReceptionLaunches(e.target.checked)}
          aria-describedby="people-reception-campaigns-hint"
          data-testid="people-reception-campaigns"
        />
        <span>{t('people.receptionCampaigns')}</span>
      </label>
      <small className="hint span-all" id="people-reception-campaigns-hint">
        {t('people.receptionCampaignsHint')}
      </small>
      <div className="field span-all">
        <span>{t('people.requiredKinds')}</span>
        <span className="row wrap">
          {KINDS.map((kind) => (
            <label key={kind} className="check">
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                data-testid={`signoff-kind-${kind}`}
                onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
              />
              <span>{t(`resultKind.${kind}`)}</span>
            </label>
          ))}
        </span>
      </div>
      <label className="field span-all">
        <span>{t('people.trustedSources')}</span>
        <input value={trusted} onChange={(e) => setTrusted(e.target.value)} data-testid="signoff-trusted" />
        <small className="hint">{t('people.trustedSourcesHint')}</small>
      </label>
      <div className="form-actions span-all">
        <button type="submit" disabled={invalid} data-testid="people-rules-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function ApiKeys() {
  const { t } = useTranslation();
  const f = useFormat();
  const [run, busy] = useAction();
  const keys = useCall('apiKeys.list', {}, false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['read_statuses']);
  const [shown, setShown] = useState<string | null>(null);
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
        <label className="field">
          <span>{t('apiKeys.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />
        </label>
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
        <div className="form-actions span-all">
          <button type="submit" disabled={busy || !name || scopes.length === 0} data-testid="api-key-create">
            {t('apiKeys.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
