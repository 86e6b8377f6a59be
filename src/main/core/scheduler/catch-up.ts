import type { Language } from '../../../shared/domain';
import type { Outbox } from '../outbox/outbox';
import type { Db } from '../store/db';
import { reminderSettingsFor, type ReminderSettings } from '../store/reminder-rules-repo';
import {
  deferLateReminder,
  dueQueuedReminders,
  insertMessageNote,
  markReminderWithdrawn,
  nextPendingReminderAt,
  type DueReminder,
} from '../store/reminders-repo';
import { judgeReminderAt, ON_TIME_MS } from './late-reminder';
import { afterQuietHours, inactiveCode } from './rules';

export interface CatchUpOptions {
  db: Db;
  outbox: Outbox;
  now: () => number;
  /** Language of the reasons stored for the receptionist. */
  language: () => Language;
  /** A reminder less late than this is simply on its way; later ones are judged (default: the dispatcher's pick-up). */
  graceMs?: number;
}

export interface CatchUpSummary {
  /** Late reminders that still go, once, now (or when quiet hours end). */
  sendLate: number;
  expired: number;
  /** Due reminders of appointments cancelled or attended meanwhile. */
  withdrawn: number;
}

export const DEFAULT_GRACE_MS = ON_TIME_MS;

/** A late reminder followed this soon by the appointment's next one would read as a repeat: only the next one goes. */
export const LATE_MERGE_MS = 2 * 3_600_000;

type ExpiryCode = 'appointment_passed' | 'too_close' | 'superseded';

export const lateReasons: Record<ExpiryCode | 'late_note', Record<Language, (minutes: number) => string>> = {
  appointment_passed: {
    es: () => 'No se envió a tiempo porque Avisa estuvo apagado o sin conexión, y la cita ya pasó.',
    en: () => 'Not sent in time because Avisa was off or offline, and the appointment has passed.',
  },
  too_close: {
    es: (m) =>
      `No se envió a tiempo porque Avisa estuvo apagado o sin conexión, y faltan menos de ${m} min para la cita.`,
    en: (m) => `Not sent in time because Avisa was off or offline, and the appointment is less than ${m} min away.`,
  },
  superseded: {
    es: () =>
      'No se envió a tiempo porque Avisa estuvo apagado o sin conexión; solo sale el recordatorio más reciente de la cita.',
    en: () => 'Not sent in time because Avisa was off or offline; only the latest reminder of the appointment goes.',
  },
  late_note: {
    es: () => 'Sale con retraso porque Avisa estuvo apagado o sin conexión; la cita aún está lejos.',
    en: () => 'Goes late because Avisa was off or offline; the appointment is still far enough ahead.',
  },
};

export const withdrawnReasons: Record<string, Record<Language, string>> = {
  appointment_cancelled: { es: 'La cita fue cancelada.', en: 'The appointment was cancelled.' },
  patient_cancelled: { es: 'El paciente canceló la cita.', en: 'The patient cancelled the appointment.' },
  appointment_attended: { es: 'La cita ya fue atendida.', en: 'The appointment was attended.' },
  appointment_no_show: { es: 'El paciente no asistió a la cita.', en: 'The patient did not attend.' },
};

/**
 * After the app was off, the machine slept or sending was paused: each appointment's late reminders are judged once.
 * Only the latest of them may still go, and only if the appointment is far enough ahead; the rest expire with a reason
 * a receptionist understands. Never a burst of stale reminders. Safe to run at any time (on-time ones are left alone).
 */
export function catchUpReminders(o: CatchUpOptions): CatchUpSummary {
  const now = o.now();
  const grace = o.graceMs ?? DEFAULT_GRACE_MS;
  const lang = o.language();
  const summary: CatchUpSummary = { sendLate: 0, expired: 0, withdrawn: 0 };
  const settings = new Map<number, ReminderSettings>();
  const settingsOf = (siteId: number): ReminderSettings => {
    let s = settings.get(siteId);
    if (!s) settings.set(siteId, (s = reminderSettingsFor(o.db, siteId)));
    return s;
  };

  const expire = (r: DueReminder, code: ExpiryCode, minutes: number): void => {
    const moved = o.outbox.move(r.messageId, 'expired', {
      errorCode: `reminder.${code}`,
      errorReason: lateReasons[code][lang](minutes),
      actor: 'scheduler',
    });
    if (moved) summary.expired++;
  };

  const judge = (group: DueReminder[]): void => {
    const first = group[0];
    if (!first) return;
    const inactive = inactiveCode(first);
    if (inactive) {
      for (const r of group) {
        const errorReason = withdrawnReasons[inactive]?.[lang] ?? inactive;
        const errorCode = `reminder.${inactive}`;
        if (o.outbox.move(r.messageId, 'cancelled', { errorCode, errorReason, actor: 'scheduler' })) {
          markReminderWithdrawn(o.db, r.messageId, inactive);
          summary.withdrawn++;
        }
      }
      return;
    }
    // Sorted by planned moment: the last is the one nearest the appointment, the only one worth sending late.
    const latest = group[group.length - 1] as DueReminder;
    if (now - latest.notBefore <= grace) {
      // On its way; anything older in the group is stale all the same.
      for (const r of group.slice(0, -1)) expire(r, 'superseded', 0);
      return;
    }
    const site = settingsOf(latest.siteId);
    const minBefore = site.catchUpMinBeforeMinutes;
    const sendAt = afterQuietHours(now, latest.timeZone, site.quietHours);
    const worth = judgeReminderAt({ dueAt: latest.notBefore, startsAt: latest.startsAt }, sendAt, minBefore).go;
    const tooLateCode = latest.startsAt <= now ? 'appointment_passed' : 'too_close';
    for (const r of group.slice(0, -1)) expire(r, worth ? 'superseded' : tooLateCode, minBefore);
    if (!worth) {
      expire(latest, tooLateCode, minBefore);
      return;
    }
    const next = nextPendingReminderAt(o.db, latest.appointmentId, now);
    if (next !== null && next - sendAt < LATE_MERGE_MS) {
      expire(latest, 'superseded', minBefore);
      return;
    }
    if (deferLateReminder(o.db, latest.messageId, sendAt, now)) {
      // Judged again while sending stays paused; the note says it once.
      if (latest.caughtUpAt === null) {
        insertMessageNote(o.db, latest.messageId, 'queued', now, lateReasons.late_note[lang](minBefore));
      }
      summary.sendLate++;
    }
  };

  o.db.transaction(() => {
    let group: DueReminder[] = [];
    for (const r of dueQueuedReminders(o.db, now)) {
      if (group[0] && group[0].appointmentId !== r.appointmentId) {
        judge(group);
        group = [];
      }
      group.push(r);
    }
    judge(group);
  })();
  return summary;
}
