import { useTranslation } from 'react-i18next';
import { useEvent } from '../api/hooks';
import { useNotify } from './Notify';

/**
 * Shows the core's `channel.alert` (the phone unlinked Avisa, another session took over, sending paused) as a toast
 * that stays until someone closes it. The reason comes already in the clinic's language.
 */
export function useChannelAlerts(): void {
  const { t } = useTranslation();
  const notify = useNotify();
  useEvent('channel.alert', (alert) => notify.warn(alert.reason || t('linkedDevice.alertFallback')));
}
