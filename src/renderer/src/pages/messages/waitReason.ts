import type { TFunction } from 'i18next';
import type { AppStatus } from '../../../../shared/api';
import type { Message } from '../../../../shared/domain';
import type { Formatters } from '../../format';

/**
 * Why a queued message has not gone yet and when it will, in words: sending paused, the channel not ready (with the
 * channel's own reason, e.g. no internet or a missing token), or simply its moment ("Se enviará vie 4, 8:45").
 */
export function waitReason(m: Message, status: AppStatus, f: Formatters, t: TFunction, now = Date.now()): string | null {
  if (m.state !== 'queued') return null;
  if (status.sendingPaused) return t('wait.paused');
  // Only the channel the message goes through matters; an e-mail copy waits on the mail server, not on WhatsApp.
  if (m.channel === status.channel && status.channelHealth.state !== 'ready') {
    return status.channelHealth.state === 'not_configured'
      ? t('wait.notConfigured')
      : t('wait.channel', { reason: status.channelHealth.reason ?? t(`health.${status.channelHealth.state}`) });
  }
  if (m.notBefore > now + 60_000) return t('wait.at', { when: f.dayTime(m.notBefore) });
  return m.attempts > 0 ? t('wait.retry') : t('wait.soon');
}
