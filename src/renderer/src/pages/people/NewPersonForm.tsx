import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/people';
import { call } from '../../api/client';
import { Field } from '../../components/Field';
import { useAction, useNotify } from '../../components/Notify';
import { UnsavedNote, useUnsaved } from '../settings/unsaved';
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
  // What was typed is the edit: the roles and the kind of secret start from a choice, not from a blank.
  const dirty = name.trim() !== '' || documentNumber.trim() !== '' || (roles.includes('professional') && registryNumber.trim() !== '') || secret !== '';
  useUnsaved('people-new', dirty);
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
      <Field label={t('people.name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="people-new-name" />
      </Field>
      <Field label={t('people.document')}>
        <input value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} data-testid="people-new-document" />
      </Field>
      <div className="field span-all">
        <span>{t('people.roles')}</span>
        <RoleChecks roles={roles} onChange={setRoles} prefix="people-new" />
      </div>
      {roles.includes('professional') && (
        <Field label={t('people.registry')}>
          <input value={registryNumber} onChange={(e) => setRegistryNumber(e.target.value)} data-testid="people-new-registry" />
        </Field>
      )}
      <Field label={t('people.secretKind')}>
        <select value={secretKind} onChange={(e) => setSecretKind(e.target.value as 'password' | 'pin')} data-testid="people-new-kind">
          <option value="pin">{t('people.kindPin')}</option>
          <option value="password">{t('people.kindPassword')}</option>
        </select>
      </Field>
      <Field label={secretKind === 'pin' ? t('lock.pin') : t('lock.password')}>
        <input type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} data-testid="people-new-secret" />
      </Field>
      <div className="form-actions span-all save-bar">
        <UnsavedNote dirty={dirty} />
        <button type="submit" disabled={busy || !name || !documentNumber || !secret || roles.length === 0} data-testid="people-new-save">
          {t('people.add')}
        </button>
      </div>
    </form>
  );
}
