import type { Language } from '../../../shared/domain';
import type { DispatchGate } from '../outbox/dispatcher';
import type { Db } from '../store/db';
import type { DispatchRow } from '../store/messages-repo';
import { reminderSettingsFor } from '../store/reminder-rules-repo';
import { insertMessageNote, nextPendingReminderAt, reminderAtDispatch } from '../store/reminders-repo';
import { LATE_MERGE_MS } from './catch-up';
import { afterQuietHours, formatLocalWhen, isQuiet } from './rules';

export interface QuietGateOptions {
  db: Db;
  language: () => Language;
}

const texts: Record<Language, { held: (when: string) => string; expired: (m: number) => string; superseded: string }> = {
  es: {
    held: (when) =>
      `Retenido hasta el fin del horario de silencio (${when}): el ritmo de envío o el límite diario lo llevó a esas horas.`,
    expired: (m) =>
      'No salió antes del horario de silencio (por el ritmo de envío o el límite diario) y al terminar este ' +
      `faltarían menos de ${m} min para la cita.`,
    superseded:
      'No salió antes del horario de silencio (por el ritmo de envío o el límite diario); solo sale el siguiente ' +
      'recordatorio de la cita.',
  },
  en: {
    held: (when) => `Held until quiet hours end (${when}): the sending pace or the daily cap pushed it into them.`,
    expired: (m) =>
      'It did not leave before quiet hours (sending pace or daily cap) and when they end the appointment would be ' +
      `less than ${m} min away.`,
    superseded: "It did not leave before quiet hours (sending pace or daily cap); only the appointment's next reminder goes.",
  },
};

/**
 * No reminder leaves inside its site's quiet hours, whatever pushed it there (pacing, the daily cap reopening at
 * midnight, a retry). At that moment it is held to the end of the quiet period when the appointment will still be far
 * enough ahead then (the catch-up's rule), and expires with its reason otherwise — or when the appointment's next
 * reminder would follow it too closely to read as anything but a repeat.
 */
export function quietHoursGate(o: QuietGateOptions): (row: DispatchRow, at: number) => DispatchGate {
  return (row, at) => {
    if (row.kind !== 'reminder') return { go: true };
    const r = reminderAtDispatch(o.db, row.id);
    if (!r) return { go: true };
    const settings = reminderSettingsFor(o.db, r.siteId);
    if (!isQuiet(at, r.timeZone, settings.quietHours)) return { go: true };
    const lang = o.language();
    const t = texts[lang];
    const sendAt = afterQuietHours(at, r.timeZone, settings.quietHours);
    const minBefore = settings.catchUpMinBeforeMinutes;
    const expire = (reason: string): DispatchGate => {
      return { go: false, cancel: { code: 'reminder.quiet_hours', reason, state: 'expired', actor: 'scheduler' } };
    };
    if (r.startsAt - sendAt < minBefore * 60_000) return expire(t.expired(minBefore));
    const next = nextPendingReminderAt(o.db, r.appointmentId, at);
    if (next !== null && next - sendAt < LATE_MERGE_MS) return expire(t.superseded);
    insertMessageNote(o.db, row.id, 'queued', at, t.held(formatLocalWhen(sendAt, r.timeZone, lang)));
    return { go: false, notBefore: sendAt };
  };
}
