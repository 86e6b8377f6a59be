import type { Language } from '../../../shared/domain';
import type { DispatchGate } from '../outbox/dispatcher';
import type { Db } from '../store/db';
import type { DispatchRow } from '../store/messages-repo';
import { reminderSettingsFor } from '../store/reminder-rules-repo';
import { reminderAtDispatch } from '../store/reminders-repo';
import { lateReasons } from './catch-up';
import { judgeReminderAt } from './late-reminder';
import { RESCHEDULED_CODE, rescheduledReason } from './reschedule';
import { formatLocalWhen } from './rules';

export interface LateGateOptions {
  db: Db;
  language: () => Language;
}

/**
 * The late rule asked once more just before a reminder leaves: the catch-up runs when Avisa starts or sending resumes,
 * but a channel that was down, pacing or a retry can make a reminder late with no catch-up in between. Lateness counts
 * from the moment the planner chose, so a reminder moved by any of those is judged like one missed while Avisa was off.
 */
export function lateReminderGate(o: LateGateOptions): (row: DispatchRow, at: number) => DispatchGate {
  return (row, at) => {
    if (row.kind !== 'reminder') return { go: true };
    const r = reminderAtDispatch(o.db, row.id);
    if (!r) return { go: true };
    // It announces a time the appointment no longer has (moved while this one was being sent, then back in the
    // queue): never let it tell the patient the old time.
    if (r.announcesStartsAt !== r.startsAt) {
      const reason = rescheduledReason(formatLocalWhen(r.announcesStartsAt, r.timeZone, o.language()), o.language());
      return { go: false, cancel: { code: RESCHEDULED_CODE, reason, actor: 'scheduler' } };
    }
    const minBefore = reminderSettingsFor(o.db, r.siteId).catchUpMinBeforeMinutes;
    const verdict = judgeReminderAt({ dueAt: r.plannedSendAt, startsAt: r.startsAt }, at, minBefore);
    if (verdict.go) return { go: true };
    const reason = lateReasons[verdict.code][o.language()](minBefore);
    return { go: false, cancel: { code: `reminder.${verdict.code}`, reason, state: 'expired', actor: 'scheduler' } };
  };
}
