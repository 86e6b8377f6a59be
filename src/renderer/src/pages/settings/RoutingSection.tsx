import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelId, MessageKind } from '../../../../shared/domain';
import type { ChannelRoute, SettingsView } from '../../../../shared/settings';
import { DataTable, type Column } from '../../components/DataTable';
import { MESSAGE_KINDS } from '../../kinds';
import type { Save } from './types';
import { UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

const CHANNELS: ChannelId[] = ['cloud-api', 'linked-device', 'demo'];

type Routes = Partial<Record<MessageKind, ChannelRoute>>;

/** Ajustes → Canales por tipo de mensaje: each kind's channel and the one it falls back to. */
export function RoutingSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  // A kind without its own route goes through the clinic's channel.
  const initial = (): Routes =>
    Object.fromEntries(
      MESSAGE_KINDS.map((k) => [k, view.routing[k] ?? { primary: view.channel ?? 'demo', fallback: null }]),
    ) as Routes;
  const [routes, setRoutes] = useState<Routes>(initial);
  const changed = MESSAGE_KINDS.some((k) => JSON.stringify(routes[k]) !== JSON.stringify(initial()[k]));
  useUnsaved('routing', changed);
  const anchor = useSectionAnchor<HTMLElement>('routing');

  // Only the kinds with a route of their own: the rest keep following the clinic's channel.
  const explicit = (): Routes =>
    Object.fromEntries(
      MESSAGE_KINDS.filter((k) => view.routing[k] || JSON.stringify(routes[k]) !== JSON.stringify(initial()[k])).map((k) => [k, routes[k]]),
    ) as Routes;

  const edit = (kind: MessageKind, patch: Partial<ChannelRoute>): void => {
    const current = routes[kind] ?? { primary: view.channel ?? 'demo', fallback: null };
    const next = { ...current, ...patch };
    // A fallback equal to the primary would mean no fallback at all.
    if (next.fallback === next.primary) next.fallback = null;
    setRoutes({ ...routes, [kind]: next });
  };

  const columns: Column<MessageKind>[] = [
    { key: 'kind', header: t('routing.kind'), cell: (kind) => t(`routing.kinds.${kind}`) },
    {
      key: 'primary',
      header: t('routing.primary'),
      cell: (kind) => (
        <select
          value={routes[kind]?.primary ?? ''}
          aria-label={t('routing.primary')}
          onChange={(e) => edit(kind, { primary: e.target.value as ChannelId })}
          data-testid="routing-primary"
        >
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
      ),
    },
    {
      key: 'fallback',
      header: t('routing.fallback'),
      cell: (kind) => (
        <select
          value={routes[kind]?.fallback ?? ''}
          aria-label={t('routing.fallback')}
          onChange={(e) => edit(kind, { fallback: e.target.value ? (e.target.value as ChannelId) : null })}
          data-testid="routing-fallback"
        >
          <option value="">{t('routing.none')}</option>
          {CHANNELS.filter((c) => c !== routes[kind]?.primary).map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
      ),
    },
  ];

  return (
    <section className="card settings-group" data-testid="settings-routing" ref={anchor}>
      <h3>{t('routing.title')}</h3>
      <p className="hint">{t('routing.hint')}</p>
      <DataTable columns={columns} rows={MESSAGE_KINDS} rowKey={(kind) => kind} rowProps={(kind) => ({ 'data-testid': 'routing-row', 'data-kind': kind })} framed="inner" />
      <p className="hint">{t('routing.fallbackHint')}</p>
      <div className="form-actions save-bar">
        <UnsavedNote dirty={changed} />
        <button type="button" disabled={!changed} onClick={() => void save({ routing: explicit() })} data-testid="routing-save">
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}
