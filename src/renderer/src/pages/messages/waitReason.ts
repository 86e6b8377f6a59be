import type { TFunction } from 'i18next';
import type { AppStatus } from '../../../../shared/api';
import type { Message, ReminderWait } from '../../../../shared/domain';
import type { Formatters } from '../../format';

const DAY_MINUTES = 24 * 60;

/** A rule's lead as people say it: "24 h", "2 h", "30 min", "3 días". */
export function leadWords(minutes: number, t: TFunction): string {
  if (minutes >= 2 * DAY_MINUTES && minutes % DAY_MINUTES === 0) return t('wait.leadDays', { count: minutes / DAY_MINUTES });
  if (minutes % 60 === 0) return t('wait.leadHours', { n: minutes / 60 });
  return t('wait.leadMinutes', { n: minutes });
}

/** "sáb 5": the appointment's day at its own site, in the clinic's locale. */
function appointmentDay(w: ReminderWait, f: Formatters): string {
  return new Intl.DateTimeFormat(f.locale, { weekday: 'short', day: 'numeric', timeZone: w.timeZone }).format(w.appointmentAt);
}

/** A reminder's own reason: "24 h antes de la cita del sáb 5; adelantado por horario de silencio". */
function reminderWhy(w: ReminderWait, f: Formatters, t: TFunction): string {
  const day = appointmentDay(w, f);
  const why =
    w.leadMinutes === null ? t('wait.beforeAppointment', { day }) : t('wait.leadBefore', { lead: leadWords(w.leadMinutes, t), day });
  return w.movedForQuietHours ? `${why}; ${t('wait.movedForQuiet')}` : why;
}

/**
 * Why a queued message has not gone yet and when it will, in words: sending paused, the channel not ready (with the
 * channel's own reason, e.g. no internet or a missing token), or simply its moment ("Se enviará vie 4, 8:45"), with a
 * reminder's own reason from the core's facts (its lead before the appointment, quiet hours that moved it earlier).
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
  const why = m.reminderWait ? ` (${reminderWhy(m.reminderWait, f, t)})` : '';
  if (m.notBefore > now + 60_000) return `${t('wait.at', { when: f.dayTime(m.notBefore) })}${why}`;
  return `${m.attempts > 0 ? t('wait.retry') : t('wait.soon')}${why}`;
}
