import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../shared/api';
import type { Service, Site } from '../../../../shared/domain';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { ReminderPreviewCard } from './ReminderPreviewCard';
import { ReminderRulesCard } from './ReminderRulesCard';
import { ReminderSettingsCard } from './ReminderSettingsCard';
import { useSectionAnchor } from './useSectionAnchor';

export type RulesView = ResultOf<'reminders.rules'>;

/** What the reminder cards share: the rules and settings as last saved, and where they apply. */
export interface RemindersContext {
  view: RulesView;
  sites: Site[];
  services: Service[];
  /** Shows what a save returned (the core re-plans every reminder ahead after it). */
  apply: (view: RulesView) => void;
}

/** Ajustes → Recordatorios: quiet hours and leads per site, the rules, and a preview of when reminders go. */
export function RemindersSection() {
  const { t } = useTranslation();
  // Not refreshed by live events: it would reset fields while someone is typing.
  const loaded = useCall('reminders.rules', {});
  const sites = useCall('sites.list', {});
  const services = useCall('services.list', {});
  const [latest, setLatest] = useState<RulesView | null>(null);
  const view = latest ?? loaded.data;

  const ctx: RemindersContext | null =
    view && sites.data && services.data ? { view, sites: sites.data, services: services.data, apply: setLatest } : null;
  const error = loaded.error ?? sites.error ?? services.error;
  // Citas opens Ajustes right here.
  const ref = useSectionAnchor<HTMLDivElement>('reminders', ctx !== null);
  const retry = (): void => {
    loaded.reload();
    sites.reload();
    services.reload();
  };
  return (
    <div ref={ref} className="settings-group" data-testid="settings-reminders">
      {ctx ? (
        <>
          <ReminderSettingsCard ctx={ctx} />
          <ReminderRulesCard ctx={ctx} />
          <ReminderPreviewCard sites={ctx.sites} services={ctx.services} />
        </>
      ) : (
        <section className="card">
          <h3>{t('reminders.title')}</h3>
          <ErrorNote error={error} onRetry={retry} retryLabel={t('common.retry')} />
          {!error && <p className="muted">{t('common.loading')}</p>}
        </section>
      )}
    </div>
  );
}
