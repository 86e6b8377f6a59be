import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelId, MessageKind } from '../../../../shared/domain';
import type { ChannelRoute, SettingsView } from '../../../../shared/settings';
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

  return (
    <section className="card settings-group" data-testid="settings-routing" ref={anchor}>
      <h3>{t('routing.title')}</h3>
      <p className="hint">{t('routing.hint')}</p>
      <div className="card flush inner">
        <table className="table">
          <thead>
            <tr>
              <th>{t('routing.kind')}</th>
              <th>{t('routing.primary')}</th>
              <th>{t('routing.fallback')}</th>
            </tr>
          </thead>
          <tbody>
            {MESSAGE_KINDS.map((kind) => {
              const route = routes[kind];
              return (
                <tr key={kind} data-testid="routing-row" data-kind={kind}>
                  <td>{t(`routing.kinds.${kind}`)}</td>
                  <td>
                    <select
                      value={route?.primary ?? ''}
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
                  </td>
                  <td>
                    <select
                      value={route?.fallback ?? ''}
                      aria-label={t('routing.fallback')}
                      onChange={(e) => edit(kind, { fallback: e.target.value ? (e.target.value as ChannelId) : null })}
                      data-testid="routing-fallback"
                    >
                      <option value="">{t('routing.none')}</option>
                      {CHANNELS.filter((c) => c !== route?.primary).map((c) => (
                        <option key={c} value={c}>
                          {t(`channel.${c}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
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
