import { useTranslation } from 'react-i18next';
import { useLinkedDevice } from '../api/linkedDevice';
import { useAppStatus } from '../appStatus';
import type { Tone } from './Chip';
import { healthTone, linkedStateTone } from './tones';

export interface ChannelState {
  tone: Tone;
  label: string;
  /** The linked phone's connection state, or the channel's health. */
  state: string;
  /** Why it is not sending, in the clinic's words; null when nothing is wrong. */
  why: string | null;
}

/**
 * The channel's state as one chip shows it, from the live app status (and the linked phone's connection): the header
 * and Ajustes → Envío both read it here, so they cannot disagree.
 */
export function useChannelState(): ChannelState {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const { view } = useLinkedDevice(status.channel === 'linked-device');
  const health = status.channelHealth;
  const connection = view?.connection.state ?? null;
  if (!connection) {
    return { tone: healthTone[health.state], label: t(`health.${health.state}`), state: health.state, why: health.reason };
  }
  // Connected but held (failures, a WhatsApp time lock, the day's cap): still "Conectado", in the pause colour.
  const held = connection === 'open' && (health.state === 'paused' || Boolean(view?.budget.reason));
  return {
    tone: held ? 'warn' : linkedStateTone[connection],
    label: t(`linkedDevice.state.${connection}`),
    state: connection,
    why: view?.connection.reason ?? view?.budget.reason ?? health.reason,
  };
}
