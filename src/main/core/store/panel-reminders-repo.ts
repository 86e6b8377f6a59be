import { prepared, type Db } from './db';

export interface AppointmentOutcomeFilter {
  /** Appointments starting on days from..to (YYYY-MM-DD, both included): the site's days, or the clinic's for all. */
  from: string;
  to: string;
  siteId: number | null;
  serviceId: number | null;
}

/** Appointments counted by their status, whether a reminder reached WhatsApp and whether the patient confirmed. */
export interface AppointmentOutcomeCount {
  status: 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';
  reminded: 0 | 1;
  confirmed: 0 | 1;
  n: number;
}

/**
 * The raw material of the reminder figures (confirmation rate, no-shows with and without a confirmed reminder),
 * from the panel_appointments roll-up, which triggers keep from the tables that exist today: appointments (status as
 * the clinic's source reports attendance), reminder messages that reached WhatsApp (sent_at set), and the patient's
 * answer. A confirmation counts only for the time it answered: after a reschedule the old "yes" says nothing about
 * the new time. Kept in one function so the attendance records, when they exist, can replace it without touching
 * the Panel.
 */
export function appointmentOutcomeCounts(db: Db, f: AppointmentOutcomeFilter): AppointmentOutcomeCount[] {
  // One site: its own midnight; the whole chain: the clinic's.
  const day = f.siteId === null ? 'day' : 'site_day';
  return prepared(
    db,
    `SELECT status, reminded, confirmed, SUM(n) AS n FROM panel_appointments
     WHERE ${day} >= @from AND ${day} <= @to
       AND (@siteId IS NULL OR site_id = @siteId) AND (@serviceId IS NULL OR service_id = @serviceId)
     GROUP BY status, reminded, confirmed HAVING SUM(n) > 0 ORDER BY status, reminded, confirmed`,
  ).all(f) as AppointmentOutcomeCount[];
}
