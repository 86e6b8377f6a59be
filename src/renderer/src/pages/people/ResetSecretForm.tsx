import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonView } from '../../../../shared/people';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { UnsavedNote, useUnsaved } from '../settings/unsaved';

/**
 * An administrator sets a new password or PIN for someone who forgot theirs: the old one stops working and the
 * person's open sessions end (the core does both, and audits who reset whose).
 */
export function ResetSecretForm({ person, onDone }: { person: PersonView; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [secretKind, setSecretKind] = useState(person.secretKind);
  const [secret, setSecret] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again !== '' && again !== secret;
  const typed = secret !== '' || again !== '';
  useUnsaved(`person-${person.id}-reset`, typed);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    if (await run(() => call('people.update', { id: person.id, secretKind, secret }))) {
      notify.ok(t('people.resetDone', { name: person.name }));
      setSecret('');
      setAgain('');
      onDone();
    }
  };
  const prefix = `person-${person.id}`;
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} data-testid={`${prefix}-reset`}>
      <h5 className="span-all">{t('people.resetTitle')}</h5>
      <p className="hint span-all">{t('people.resetHint')}</p>
      <Field label={t('people.secretKind')}>
        <select value={secretKind} onChange={(e) => setSecretKind(e.target.value as 'password' | 'pin')} data-testid={`${prefix}-reset-kind`}>
          <option value="pin">{t('people.kindPin')}</option>
          <option value="password">{t('people.kindPassword')}</option>
        </select>
      </Field>
      <Field label={secretKind === 'pin' ? t('people.newPin') : t('people.newPassword')}>
        <input
          type="password"
          autoComplete="new-password"
          inputMode={secretKind === 'pin' ? 'numeric' : undefined}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          data-testid={`${prefix}-reset-secret`}
        />
      </Field>
      <Field label={t('people.repeatSecret')} error={mismatch ? t('people.secretMismatch') : null}>
        <input
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          data-testid={`${prefix}-reset-again`}
        />
      </Field>
      <div className="form-actions span-all save-bar">
        <ErrorNote error={error} />
        <UnsavedNote dirty={typed} />
        <button type="submit" className="secondary" disabled={busy || !secret || secret !== again} data-testid={`${prefix}-reset-save`}>
          {t('people.reset')}
        </button>
      </div>
    </form>
  );
}
