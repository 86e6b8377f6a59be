import type { AppointmentStatus } from '../../../shared/domain';
import { prepared, type Db } from './db';

// Attendance for the dashboard: did patients come, and does a reminder they confirmed make a difference. Appointments
// are counted by their start time in [from, to); attended / no-show come from whichever source said so (clinic
// database, HL7 S26, Citas), with the moment it was recorded (appointments.attendance_at, kept by a trigger).

export interface AttendanceQuery {
  from: number;
  to: number;
  siteId?: number;
  serviceId?: number;
}

export interface AttendanceGroup {
  /** Appointments of the group whose attendance is known. */
  attended: number;
  noShow: number;
  /** noShow / (attended + noShow); null when no attendance is known. */
  noShowRate: number | null;
}

export interface AttendanceSummary {
  /** Every appointment starting in the range, whatever its status (cancelled included). */
  appointments: number;
  attended: number;
  noShow: number;
  noShowRate: number | null;
  /** Appointments the patient confirmed by replying to a reminder (and did not cancel afterwards). */
  withConfirmedReminder: AttendanceGroup;
  /** Every other appointment with a known attendance: no reminder, no answer, or an answer given otherwise. */
  withoutConfirmedReminder: AttendanceGroup;
  reminders: {
    /** Reminders of these appointments that reached the patient's WhatsApp (sent, delivered or read). */
    sent: number;
    /** Of those, the ones the patient answered with a confirmation. */
    confirmed: number;
    /** confirmed / sent; null when none was sent. */
    confirmationRate: number | null;
  };
}

export interface AttendanceRecord {
  appointmentId: number;
  status: AppointmentStatus;
  /** When attended / no-show was recorded; null while it is not known. */
  attendanceAt: number | null;
  /** Where the appointment came from: 'clinic-db', 'hl7', 'csv', 'manual', … */
  source: string;
  startsAt: number;
}

const scope = `a.starts_at >= @from AND a.starts_at < @to AND (@siteId IS NULL OR a.site_id = @siteId)
  AND (@serviceId IS NULL OR a.service_id = @serviceId)`;

const paramsOf = (q: AttendanceQuery) => ({ from: q.from, to: q.to, siteId: q.siteId ?? null, serviceId: q.serviceId ?? null });
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const group = (attended: number, noShow: number): AttendanceGroup => ({
  attended,
  noShow,
  noShowRate: rate(noShow, attended + noShow),
});

// A confirmed reminder: the patient's answer is "confirmed" and came as a reply to one of the appointment's reminders.
const confirmedByReminder = `EXISTS (
  SELECT 1 FROM appointment_answers aa
  JOIN replies rp ON rp.id = aa.reply_id
  JOIN messages rm ON rm.id = rp.message_id
  WHERE aa.appointment_id = a.id AND aa.answer = 'confirmed' AND rm.kind = 'reminder' AND rm.appointment_id = a.id)`;

/** The dashboard's attendance figures for a date range and, optionally, one site and one service. */
export function attendanceSummary(db: Db, q: AttendanceQuery): AttendanceSummary {
  const params = paramsOf(q);
  const counts = prepared(
    db,
    `SELECT COUNT(*) AS appointments,
       COALESCE(SUM(a.status = 'attended' AND c.confirmed), 0) AS attendedConfirmed,
       COALESCE(SUM(a.status = 'no_show' AND c.confirmed), 0) AS noShowConfirmed,
       COALESCE(SUM(a.status = 'attended' AND NOT c.confirmed), 0) AS attendedOther,
       COALESCE(SUM(a.status = 'no_show' AND NOT c.confirmed), 0) AS noShowOther
     FROM appointments a
     JOIN (SELECT a.id, ${confirmedByReminder} AS confirmed FROM appointments a WHERE ${scope}) c ON c.id = a.id`,
  ).get(params) as {
    appointments: number;
    attendedConfirmed: number;
    noShowConfirmed: number;
    attendedOther: number;
    noShowOther: number;
  };
  const reminders = prepared(
    db,
    `SELECT COUNT(*) AS sent,
       COALESCE(SUM(EXISTS (
         SELECT 1 FROM appointment_answers aa JOIN replies rp ON rp.id = aa.reply_id
         WHERE aa.appointment_id = a.id AND aa.answer = 'confirmed' AND rp.message_id = m.id)), 0) AS confirmed
     FROM messages m JOIN appointments a ON a.id = m.appointment_id
     WHERE m.kind = 'reminder' AND m.state IN ('sent', 'delivered', 'read') AND ${scope}`,
  ).get(params) as { sent: number; confirmed: number };
  const attended = counts.attendedConfirmed + counts.attendedOther;
  const noShow = counts.noShowConfirmed + counts.noShowOther;
  return {
    appointments: counts.appointments,
    attended,
    noShow,
    noShowRate: rate(noShow, attended + noShow),
    withConfirmedReminder: group(counts.attendedConfirmed, counts.noShowConfirmed),
    withoutConfirmedReminder: group(counts.attendedOther, counts.noShowOther),
    reminders: { sent: reminders.sent, confirmed: reminders.confirmed, confirmationRate: rate(reminders.confirmed, reminders.sent) },
  };
}

/** Each appointment of the range with its attendance and when it was recorded (for a drill-down or an export). */
export function attendanceRecords(db: Db, q: AttendanceQuery): AttendanceRecord[] {
  return prepared(
    db,
    `SELECT a.id AS appointmentId, a.status, a.attendance_at AS attendanceAt, a.source, a.starts_at AS startsAt
     FROM appointments a WHERE ${scope} ORDER BY a.starts_at, a.id`,
  ).all(paramsOf(q)) as AttendanceRecord[];
}
