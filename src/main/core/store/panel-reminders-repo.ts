import { prepared, type Db } from './db';

export interface AppointmentOutcomeFilter {
  /** Appointments starting in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
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
 * read from the tables that exist today: appointments (status as the clinic's source reports attendance), reminder
 * messages that went out (sent_at set), and the patient's answer. A confirmation counts only for the time it
 * answered: after a reschedule the old "yes" says nothing about the new time. Kept in one function so the
 * attendance records, when they exist, can replace it without touching the Panel.
 */
export function appointmentOutcomeCounts(db: Db, f: AppointmentOutcomeFilter): AppointmentOutcomeCount[] {
  return prepared(
    db,
    `SELECT status, reminded, confirmed, COUNT(*) AS n FROM (
       SELECT a.status,
         EXISTS (SELECT 1 FROM messages m WHERE m.appointment_id = a.id AND m.kind = 'reminder' AND m.sent_at IS NOT NULL)
           AS reminded,
         EXISTS (SELECT 1 FROM appointment_answers x
                 WHERE x.appointment_id = a.id AND x.answer = 'confirmed' AND x.starts_at = a.starts_at) AS confirmed
       FROM appointments a INDEXED BY panel_appointments
       WHERE a.starts_at >= @fromMs AND a.starts_at < @toMs
         AND (@siteId IS NULL OR a.site_id = @siteId) AND (@serviceId IS NULL OR a.service_id = @serviceId))
     GROUP BY status, reminded, confirmed ORDER BY status, reminded, confirmed`,
  ).all(f) as AppointmentOutcomeCount[];
}
