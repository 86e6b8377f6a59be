import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonUpdate, PersonView, Role } from '../../../../shared/people';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { UnsavedNote, useUnsaved } from '../settings/unsaved';
import { RoleChecks } from './RoleChecks';

/**
 * A person's name, document number, roles and professional registry number (CMP, CTMP…, printed on the stamp), and
 * whether they may sign in. Only what changed is sent; the core audits it with the administrator's name.
 */
export function PersonDetailsForm({ person, onSaved }: { person: PersonView; onSaved: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [name, setName] = useState(person.name);
  const [documentNumber, setDocumentNumber] = useState(person.documentNumber);
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [registryNumber, setRegistryNumber] = useState(person.registryNumber ?? '');
  const [active, setActive] = useState(person.active);

  const sameRoles = roles.length === person.roles.length && roles.every((r) => person.roles.includes(r));
  const patch: PersonUpdate = {
    id: person.id,
    ...(name.trim() !== person.name ? { name: name.trim() } : {}),
    ...(documentNumber.trim() !== person.documentNumber ? { documentNumber: documentNumber.trim() } : {}),
    ...(sameRoles ? {} : { roles }),
    ...(registryNumber.trim() !== (person.registryNumber ?? '') ? { registryNumber: registryNumber.trim() || null } : {}),
    ...(active !== person.active ? { active } : {}),
  };
  const changed = Object.keys(patch).length > 1;
  useUnsaved(`person-${person.id}-details`, changed);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => call('people.update', patch))) {
      notify.ok(t('common.saved'));
      onSaved();
    }
  };
  const prefix = `person-${person.id}`;
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} data-testid={`${prefix}-details`}>
      <Field label={t('people.name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid={`${prefix}-name`} />
      </Field>
      <Field label={t('people.document')}>
        <input value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} data-testid={`${prefix}-document`} />
      </Field>
      <div className="field span-all">
        <span>{t('people.roles')}</span>
        <RoleChecks roles={roles} onChange={setRoles} prefix={prefix} />
      </div>
      <Field label={t('people.registry')} hint={t('people.registryHint')}>
        <input value={registryNumber} onChange={(e) => setRegistryNumber(e.target.value)} data-testid={`${prefix}-registry`} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid={`${prefix}-active`} />
        <span>{t('people.active')}</span>
      </label>
      <div className="form-actions span-all save-bar">
        <ErrorNote error={error} />
        <UnsavedNote dirty={changed} />
        <button type="submit" disabled={busy || !changed || roles.length === 0 || !name.trim()} data-testid={`${prefix}-save`}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
