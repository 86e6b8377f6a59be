import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useEvent } from '../api/hooks';
import { useAppStatus } from '../appStatus';
import { channelFixAt, type NavTarget } from '../nav';
import { useNotify } from './Notify';

const TOPIC = 'channel';

/**
 * Shows the core's `channel.alert` (the phone unlinked Avisa, another session took over, sending paused) as a toast
 * with "Ir a Ajustes" to the section that fixes it.
 * The reason comes already in the clinic's language. The note goes once the problem does: the phone is connected
 * again, or the channel is back to ready after it was not.
 */
export function useChannelAlerts(goTo: (target: NavTarget) => void): void {
  const { t } = useTranslation();
  const notify = useNotify();
  const { status } = useAppStatus();
  useEvent('channel.alert', (alert) =>
    notify.warn(alert.reason || t('linkedDevice.alertFallback'), TOPIC, {
      label: t('header.openSettings'),
      run: () => goTo(channelFixAt(alert.channel)),
    }),
  );
  useEvent('linkedDevice.changed', (view) => {
    if (view?.connection.state === 'open') notify.resolve(TOPIC);
  });

  const health = status.channelHealth.state;
  const before = useRef(health);
  useEffect(() => {
    if (health === 'ready' && before.current !== 'ready') notify.resolve(TOPIC);
    before.current = health;
  }, [health, notify]);
}
