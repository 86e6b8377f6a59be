import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonView } from '../../../../shared/people';
import { call } from '../../api/client';
import { useAction, useNotify } from '../../components/Notify';
import { PersonDetailsForm } from './PersonDetailsForm';
import { ResetSecretForm } from './ResetSecretForm';

/** One person in Ajustes → Personas: what they are, and (opened) their details and a reset of their secret. */
export function PersonRow({ person, onChanged }: { person: PersonView; onChanged: () => void }) {
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
