import { prepared, type Db } from './db';

/** What a queued reminder waits for: the appointment it announces, its rule's lead and the site's clock. */
export interface ReminderWaitRow {
  messageId: number;
  announcesStartsAt: number;
  plannedSendAt: number;
  /** The most specific rule with the reminder's key for the appointment's site and service (null: rule deleted). */
  leadMinutes: number | null;
  timeZone: string;
}

/** The reminder side of some messages (those that are not reminders are simply absent). */
export function reminderWaits(db: Db, messageIds: readonly number[]): ReminderWaitRow[] {
  if (messageIds.length === 0) return [];
  return prepared(
    db,
    `SELECT r.message_id AS messageId, r.announces_starts_at AS announcesStartsAt, r.planned_send_at AS plannedSendAt,
       s.time_zone AS timeZone,
       (SELECT rr.lead_minutes FROM reminder_rules rr
         WHERE rr.rule_key = r.rule_key AND (rr.site_id IS NULL OR rr.site_id = a.site_id)
           AND (rr.service_id IS NULL OR rr.service_id = a.service_id)
         ORDER BY rr.site_id IS NULL, rr.service_id IS NULL LIMIT 1) AS leadMinutes
     FROM reminders r JOIN appointments a ON a.id = r.appointment_id JOIN sites s ON s.id = a.site_id
     WHERE r.message_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(messageIds)) as ReminderWaitRow[];
}
