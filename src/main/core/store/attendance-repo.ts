import type { AppointmentSource, AppointmentStatus } from '../../../shared/domain';
import { startingParams, startingWithin, type AppointmentsStarting } from './appointments-repo';
import { prepared, type Db } from './db';

// Attendance as recorded: attended / no-show from whichever source said so (clinic database, HL7 S26, Citas), with the
// moment it was recorded (appointments.attendance_at, kept by a trigger). The Panel's no-show figures come from its
// roll-up (panel-reminders-repo.ts); this is the per-appointment view behind them.

export interface AttendanceQuery extends AppointmentsStarting {
  serviceId?: number;
}

export interface AttendanceRecord {
  appointmentId: number;
  status: AppointmentStatus;
  /** When attended / no-show was recorded; null while it is not known. */
  attendanceAt: number | null;
  source: AppointmentSource;
  startsAt: number;
}

const scope = `${startingWithin} AND (@serviceId IS NULL OR a.service_id = @serviceId)`;

const paramsOf = (q: AttendanceQuery) => ({ ...startingParams(q), serviceId: q.serviceId ?? null });

/** Each appointment of the range with its attendance and when it was recorded (for a drill-down or an export). */
export function attendanceRecords(db: Db, q: AttendanceQuery): AttendanceRecord[] {
  return prepared(
    db,
    `SELECT a.id AS appointmentId, a.status, a.attendance_at AS attendanceAt, a.source, a.starts_at AS startsAt
     FROM appointments a WHERE ${scope} ORDER BY a.starts_at, a.id`,
  ).all(paramsOf(q)) as AttendanceRecord[];
}
