import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/people';
import { call } from '../../api/client';
import { useAction, useNotify } from '../../components/Notify';
import { RoleChecks } from './RoleChecks';

/** "Añadir persona": name, document number, roles, registry number for a professional, and a first password or PIN. */
export function NewPersonForm({ onCreated }: { onCreated: () => void }) {
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
