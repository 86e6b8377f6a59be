import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonView } from '../../../../shared/people';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { useAction, useNotify } from '../../components/Notify';
import { ApiKeysCard } from '../people/ApiKeysCard';
import { NewPersonForm } from '../people/NewPersonForm';
import { PeopleRulesForm } from '../people/PeopleRulesForm';
import { PersonDetailsForm } from '../people/PersonDetailsForm';
import { ResetSecretForm } from '../people/ResetSecretForm';
import type { Save } from './types';

/** Ajustes → Personas: who may sign in and with which roles, API keys, the auto-lock, and what needs validation. */
export function PeopleSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const people = useCall('people.list', {});
  const columns = usePeopleColumns(people.reload);
  return (
    <section className="card settings-group" data-testid="settings-people">
      <h3>{t('people.title')}</h3>
      <p className="hint">{t('people.hint')}</p>
      <DataTable
        columns={columns.columns}
        rows={people.data}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ 'data-testid': `person-${p.id}`, className: p.active ? '' : 'muted' })}
        below={(p) => [columns.editorOf(p)]}
        empty={null}
        error={people.error}
        onRetry={people.reload}
        framed={false}
      />
      <NewPersonForm onCreated={people.reload} />
      <PeopleRulesForm view={view} save={save} />
      <ApiKeysCard />
    </section>
  );
}

/** What each person is, and (opened under their row) their details and a reset of their secret. */
function usePeopleColumns(onChanged: () => void): { columns: Column<PersonView>[]; editorOf: (p: PersonView) => ReactNode } {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  // Whose editors are open: each opens and closes on its own.
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number, show: boolean): void =>
    setOpen((all) => {
      const next = new Set(all);
      if (show) next.add(id);
      else next.delete(id);
      return next;
    });
  const editorId = (p: PersonView) => `person-${p.id}-editor`;
  const saved = (p: PersonView): void => {
    toggle(p.id, false);
    onChanged();
  };
  const revoke = (p: PersonView): void =>
    void run(() => call('people.revokeSessions', { id: p.id })).then((r) => r && notify.ok(t('people.revoked', { count: r.revoked })));

  const columns: Column<PersonView>[] = [
    {
      key: 'name',
      header: t('people.name'),
      cell: (p) => (
        <>
          {p.name}
          {!p.active && <> · {t('people.inactive')}</>}
        </>
      ),
    },
    { key: 'document', header: t('people.document'), cell: (p) => p.documentNumber },
    { key: 'roles', header: t('people.roles'), cell: (p) => p.roles.map((r) => t(`people.role.${r}`)).join(', ') },
    {
      key: 'registry',
      header: t('people.registry'),
      cell: (p) => <span data-testid={`person-${p.id}-registry-shown`}>{p.registryNumber ?? t('common.none')}</span>,
    },
    {
      key: 'actions',
      header: null,
      className: 'row wrap',
      cell: (p) => (
        <>
          <button
            type="button"
            className="secondary small"
            aria-expanded={open.has(p.id)}
            aria-controls={editorId(p)}
            onClick={() => toggle(p.id, !open.has(p.id))}
            data-testid={`person-${p.id}-edit`}
          >
            {t('people.edit')}
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => revoke(p)}>
            {t('people.revokeSessions')}
          </button>
        </>
      ),
    },
  ];
  const editorOf = (p: PersonView) =>
    open.has(p.id) ? (
      <div id={editorId(p)}>
        <h4>{t('people.editTitle', { name: p.name })}</h4>
        <PersonDetailsForm person={p} onSaved={() => saved(p)} />
        <ResetSecretForm person={p} onDone={() => saved(p)} />
      </div>
    ) : null;
  return { columns, editorOf };
}
