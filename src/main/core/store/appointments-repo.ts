import type { Appointment, AppointmentSource, AppointmentStatus } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface AppointmentRecord {
  siteId: number;
  serviceId: number;
  patientId: number;
  startsAt: number;
  status: AppointmentStatus;
  source: AppointmentSource;
  sourceKey: string;
  professional: string | null;
}

/** Idempotent by source key: the same source row seen twice is one appointment. */
export function upsertAppointment(db: Db, a: AppointmentRecord, at: number): number {
  prepared(db, 
    `INSERT INTO appointments (site_id, service_id, patient_id, starts_at, status, source, source_key, professional,
      created_at, updated_at)
     VALUES (@siteId, @serviceId, @patientId, @startsAt, @status, @source, @sourceKey, @professional, @at, @at)
     ON CONFLICT(source_key) DO UPDATE SET starts_at = excluded.starts_at, status = excluded.status,
       site_id = excluded.site_id, service_id = excluded.service_id, professional = excluded.professional,
       updated_at = excluded.updated_at`,
  ).run({ ...a, at });
  const row = prepared(db, 'SELECT id FROM appointments WHERE source_key = ?').get(a.sourceKey) as { id: number };
  return row.id;
}

/** An `Appointment` as the API shows it: its columns and the joins they need (append the WHERE). */
export const appointmentColumns = `a.id, a.site_id AS siteId, s.name AS siteName, a.service_id AS serviceId, sv.name AS serviceName,
  a.patient_id AS patientId, p.first_names || ' ' || p.last_names AS patientName, a.starts_at AS startsAt,
  s.time_zone AS timeZone, a.status, a.source
  FROM appointments a
  JOIN sites s ON s.id = a.site_id
  JOIN services sv ON sv.id = a.service_id
  JOIN patients p ON p.id = a.patient_id`;

export function getAppointment(db: Db, id: number): Appointment | undefined {
  return prepared(db, `SELECT ${appointmentColumns} WHERE a.id = ?`).get(id) as Appointment | undefined;
}

/** The status the clinic gave the appointment (cancelled, attended, no-show): only that column changes. */
export function setAppointmentSourceStatus(db: Db, id: number, status: AppointmentStatus, at: number): void {
  prepared(db, 'UPDATE appointments SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

/** Appointments starting in [from, to), at one site or at all of them: the Citas day. */
export interface AppointmentsStarting {
  from: number;
  to: number;
  siteId?: number;
}

/** That range as a condition on appointments `a`, with its parameters. */
export const startingWithin = 'a.starts_at >= @from AND a.starts_at < @to AND (@siteId IS NULL OR a.site_id = @siteId)';
export const startingParams = (q: AppointmentsStarting) => ({ from: q.from, to: q.to, siteId: q.siteId ?? null });

export function listAppointments(db: Db, q: AppointmentsStarting): Appointment[] {
  return prepared(db, `SELECT ${appointmentColumns} WHERE ${startingWithin} ORDER BY a.starts_at`).all(
    startingParams(q),
  ) as Appointment[];
}

/** The facts an import compares before writing, so the same file imported twice changes nothing. */
export interface StoredAppointmentFacts {
  id: number;
  siteId: number;
  serviceId: number;
  patientId: number;
  startsAt: number;
  status: AppointmentStatus;
}

export function findAppointmentBySourceKey(db: Db, sourceKey: string): StoredAppointmentFacts | undefined {
  return prepared(
    db,
    `SELECT id, site_id AS siteId, service_id AS serviceId, patient_id AS patientId, starts_at AS startsAt, status
     FROM appointments WHERE source_key = ?`,
  ).get(sourceKey) as StoredAppointmentFacts | undefined;
}
