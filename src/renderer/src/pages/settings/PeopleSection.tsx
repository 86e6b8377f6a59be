import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { useCall } from '../../api/hooks';
import { ApiKeysCard } from '../people/ApiKeysCard';
import { NewPersonForm } from '../people/NewPersonForm';
import { PeopleRulesForm } from '../people/PeopleRulesForm';
import { PersonRow } from '../people/PersonRow';
import type { Save } from './types';

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
      <NewPersonForm onCreated={people.reload} />
      <PeopleRulesForm view={view} save={save} />
      <ApiKeysCard />
    </section>
  );
}
