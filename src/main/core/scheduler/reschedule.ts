import type { Language } from '../../../shared/domain';
import type { Outbox } from '../outbox/outbox';
import type { Db } from '../store/db';
import { queuedRemindersForOtherTimes } from '../store/appointment-board-repo';
import { markReminderWithdrawn } from '../store/reminders-repo';
import type { Planner } from './planner';
import { formatLocalWhen } from './rules';

export interface ReplanOptions {
  db: Db;
  outbox: Outbox;
  planner: Planner;
  language: () => Language;
}

/** Why a reminder for the old time was withdrawn (also the dispatch gate's reason for a stale one). */
export const rescheduledReason = (oldWhen: string, lang: Language): string =>
  lang === 'es'
    ? `La cita se reprogramó: este recordatorio anunciaba la hora anterior (${oldWhen}) y ya no saldrá.`
    : `The appointment was rescheduled: this reminder announced the old time (${oldWhen}) and will not go.`;

export const RESCHEDULED_CODE = 'reminder.rescheduled';

/**
 * After an appointment got a new time: every reminder still queued for the old time is cancelled with the reason
 * (it would announce a time that no longer holds), then the appointment is planned again, which writes new
 * reminders for the new time. Run in the transaction that moved the appointment. Returns how many were cancelled.
 */
export function replanRescheduled(
  o: ReplanOptions,
  appointment: { id: number; oldStartsAt: number; newStartsAt: number; timeZone: string },
): number {
  const lang = o.language();
  const reason = rescheduledReason(formatLocalWhen(appointment.oldStartsAt, appointment.timeZone, lang), lang);
  let withdrawn = 0;
  for (const messageId of queuedRemindersForOtherTimes(o.db, appointment.id, appointment.newStartsAt)) {
    // Compare-and-set in the outbox: one the dispatcher took meanwhile is left to its own fate (the gate checks it).
    if (o.outbox.move(messageId, 'cancelled', { errorCode: RESCHEDULED_CODE, errorReason: reason, actor: 'scheduler' })) {
      // A withdrawn code (not a person's cancel): the planner may plan the slot again for the new time.
      markReminderWithdrawn(o.db, messageId, 'rescheduled');
      withdrawn++;
    }
  }
  o.planner.planAppointment(appointment.id);
  return withdrawn;
}
