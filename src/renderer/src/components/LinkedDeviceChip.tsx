import { useTranslation } from 'react-i18next';
import { useNav } from '../nav';
import { Chip } from './Chip';
import { useChannelState } from './channelState';

/** The header's channel chip for the clinic's phone: its connection, live; a click opens Ajustes → Dispositivo vinculado. */
export function LinkedDeviceChip() {
  const { t } = useTranslation();
  const { goTo } = useNav();
  const { tone, label, state, why } = useChannelState();

  return (
    <button
      type="button"
      className="chip-button"
      title={why ? `${why} — ${t('linkedDevice.openSection')}` : t('linkedDevice.openSection')}
      onClick={() => goTo({ page: 'settings', section: 'linked-device' })}
      data-testid="header-ld-state"
      data-state={state}
    >
      <Chip tone={tone}>{label}</Chip>
    </button>
  );
}
