import { useTranslation } from 'react-i18next';
import { useLinkedDevice } from '../api/linkedDevice';
import { useAppStatus } from '../appStatus';
import { useNav } from '../nav';
import { Chip, type Tone } from './Chip';
import { healthTone, linkedStateTone } from './tones';

/** The header's channel chip for the clinic's phone: its connection, live; a click opens Ajustes → Dispositivo vinculado. */
export function LinkedDeviceChip() {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  const { view } = useLinkedDevice(true);
  const health = status.channelHealth;
  const state = view?.connection.state ?? null;

  let tone: Tone = healthTone[health.state];
  let label: string = t(`health.${health.state}`);
  if (state) {
    // Connected but held (failures, a WhatsApp time lock, the day's cap): still "Conectado", in the pause colour.
    const held = state === 'open' && (health.state === 'paused' || Boolean(view?.budget.reason));
    tone = held ? 'warn' : linkedStateTone[state];
    label = t(`linkedDevice.state.${state}`);
  }
  const why = view?.connection.reason ?? view?.budget.reason ?? health.reason;

  return (
    <button
      type="button"
      className="chip-button"
      title={why ? `${why} — ${t('linkedDevice.openSection')}` : t('linkedDevice.openSection')}
      onClick={() => goTo({ page: 'settings', section: 'linked-device' })}
      data-testid="header-ld-state"
      data-state={state ?? health.state}
    >
      <Chip tone={tone}>{label}</Chip>
    </button>
  );
}
