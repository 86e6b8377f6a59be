import type { Message } from '../../../shared/domain';
import { leadInstant } from '../scheduler/rules';
import type { Db } from '../store/db';
import { reminderWaits } from '../store/reminder-waits-repo';

/**
 * Queued reminders carry why they wait: the appointment they announce, their rule's lead, and whether the site's
 * quiet hours moved them earlier (their planned time lies before the lead's own moment).
 */
export function withReminderWaits(db: Db, messages: Message[]): Message[] {
  const queued = messages.filter((m) => m.state === 'queued' && m.kind === 'reminder').map((m) => m.id);
  if (queued.length === 0) return messages;
  const byId = new Map(reminderWaits(db, queued).map((r) => [r.messageId, r]));
  return messages.map((m) => {
    const r = byId.get(m.id);
    if (!r) return m;
    const ideal = r.leadMinutes === null ? null : leadInstant(r.announcesStartsAt, r.leadMinutes, r.timeZone);
    return {
      ...m,
      reminderWait: {
        appointmentAt: r.announcesStartsAt,
        leadMinutes: r.leadMinutes,
        movedForQuietHours: ideal !== null && r.plannedSendAt < ideal,
        timeZone: r.timeZone,
      },
    };
  });
}
