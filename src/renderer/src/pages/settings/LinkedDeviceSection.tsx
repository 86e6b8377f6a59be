import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { useLinkedDevice } from '../../api/linkedDevice';
import { LinkedBudgetCard } from './LinkedBudgetCard';
import { LinkedConnectionCard } from './LinkedConnectionCard';
import type { Save } from './types';
import { useSectionAnchor } from './useSectionAnchor';

/** Ajustes → Dispositivo vinculado: the clinic's phone, linked like WhatsApp Web, and how gently it sends. */
export function LinkedDeviceSection({ view, save }: { view: SettingsView; save: Save }) {
  const chosen = view.channel === 'linked-device';
  const device = useLinkedDevice(chosen);
  // The header's channel chip opens Ajustes right here.
  const ref = useSectionAnchor<HTMLDivElement>('linked-device');

  return (
    <div ref={ref} className="settings-group" data-testid="settings-linked-device" data-chosen={chosen}>
      {chosen ? <LinkedConnectionCard device={device} /> : <NotChosenCard />}
      <LinkedBudgetCard budget={device.view?.budget ?? null} settings={view.linkedDevice} save={save} onChanged={device.reload} />
    </div>
  );
}

function NotChosenCard() {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="ld-connection">
      <h3>{t('linkedDevice.title')}</h3>
      <p className="hint">{t('linkedDevice.intro')}</p>
      <p className="warning" data-testid="ld-not-chosen">
        {t('linkedDevice.notChosen')}
      </p>
    </section>
  );
}
