import { DateTime } from 'luxon';
import type { SourceAppointment, SourceAppointmentStatus } from '../clinic-db/records';
import { isoOfWallClock, parseDtm, patientFromPid, personFromXcn, readDtm, textOfCoded } from './fields';
import type { WallClock } from '../../intake/local-time';
import { errorCodes, refusal, type Hl7Header, type Hl7Refusal } from './header';
import { firstRepetition, firstSegment, get, type Hl7Message } from './parse';

// SIU → one appointment. S12 new, S13 rescheduled, S14 modified, S15 cancelled, S26 no-show.

export const siuEvents = ['S12', 'S13', 'S14', 'S15', 'S26'] as const;
export type SiuEvent = (typeof siuEvents)[number];

export function isSiuEvent(event: string): event is SiuEvent {
  return (siuEvents as readonly string[]).includes(event);
}

export function appointmentFromSiu(
  message: Hl7Message,
  header: Hl7Header,
  event: SiuEvent,
  zone: string,
): SourceAppointment | Hl7Refusal {
  const sch = firstSegment(message, 'SCH');
  if (!sch) return refusal('AE', errorCodes.requiredFieldMissing, ['SCH'], 'El mensaje no trae la cita (SCH).', 'The message has no appointment (SCH).');
  const appointmentId = get(message, sch, 2, 1) || get(message, sch, 1, 1);
  if (!appointmentId) {
    return refusal('AE', errorCodes.requiredFieldMissing, ['SCH', '1', '2'], 'La cita no trae identificador (SCH-1/SCH-2).', 'The appointment has no id (SCH-1/SCH-2).');
  }
  const pid = firstSegment(message, 'PID');
  const patient = patientFromPid(message, pid);
  if (!pid || (!patient.documentNumber && !patient.medicalRecordNumber)) {
    return refusal('AE', errorCodes.requiredFieldMissing, ['PID', '1', '3'], 'La cita no trae paciente identificado (PID-3).', 'The appointment has no identified patient (PID-3).');
  }
  const ais = firstSegment(message, 'AIS');
  const ail = firstSegment(message, 'AIL');
  const aip = firstSegment(message, 'AIP');
  const aig = firstSegment(message, 'AIG');
  const tq1 = firstSegment(message, 'TQ1');
  // SCH-11.4 is the classic start (a TS, so its own components are subcomponents here); v2.5+ senders put it in TQ1-7
  // instead, and v2.6+ leave both empty and give the resource's start (AIS-4, AIL-6, AIP-6, AIG-8).
  const startRaw =
    get(message, sch, 11, 4, 1) ||
    get(message, tq1, 7, 1) ||
    get(message, ais, 4, 1) ||
    get(message, ail, 6, 1) ||
    get(message, aip, 6, 1) ||
    get(message, aig, 8, 1);
  const start = readDtm(startRaw);
  // Read in the clinic's zone for now; intake reads the wall clock again in the zone of the site it belongs to.
  const provisional = start ? parseDtm(startRaw, zone) ?? roughInstant(start.wall, zone) : null;
  if (!start || provisional === null) {
    return refusal(
      'AE',
      startRaw ? errorCodes.dataType : errorCodes.requiredFieldMissing,
      ['SCH', '1', '11'],
      startRaw ? `La hora de la cita no es válida: "${startRaw}".` : 'La cita no trae hora de inicio (SCH-11, TQ1-7 o AIS-4).',
      startRaw ? `The appointment time is not valid: "${startRaw}".` : 'The appointment has no start time (SCH-11, TQ1-7 or AIS-4).',
    );
  }
  const startsAt = typeof provisional === 'number' ? provisional : provisional.at;
  const local = start.offsetMinutes === null ? start.wall : null;
  const pv1 = firstSegment(message, 'PV1');
  // Where the visit happens: the location resource (AIL-3 facility, point of care, description), else the visit's
  // assigned location (PV1-3). Each may be a site's name or a code mapped in Ajustes → HL7.
  const locations = [
    ...new Set(
      [get(message, ail, 3, 4), get(message, ail, 3, 1), get(message, ail, 3, 9), get(message, pv1, 3, 4), get(message, pv1, 3, 1)]
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const facility = header.sendingFacility || header.sendingApplication || 'hl7';
  return {
    kind: 'appointment',
    source: 'hl7',
    sourceKey: `hl7:${facility}:${appointmentId}`,
    appointmentId,
    patient,
    site: locations[0] ?? null,
    siteCodes: locations,
    service:
      textOfCoded(message, firstRepetition(message, ais, 3)) ??
      textOfCoded(message, firstRepetition(message, sch, 7)) ??
      textOfCoded(message, firstRepetition(message, sch, 8)),
    professional: personFromXcn(message, firstRepetition(message, aip, 3)) ?? textOfCoded(message, firstRepetition(message, aig, 3)),
    startsAt,
    timeZone: local ? zone : null,
    localStart: local ? isoOfWallClock(local) : null,
    durationMinutes: duration(message, startsAt, zone),
    status: statusOf(event, get(message, sch, 25, 1)),
  };
}

/** The trigger event says what happened; S12/S14 defer to the filler status (SCH-25) when it says more. */
function statusOf(event: SiuEvent, fillerStatus: string): SourceAppointmentStatus {
  if (event === 'S13') return 'rescheduled';
  if (event === 'S15') return 'cancelled';
  if (event === 'S26') return 'no_show';
  switch (fillerStatus.toUpperCase()) {
    case 'CANCELLED':
    case 'DELETED':
    case 'DC':
      return 'cancelled';
    case 'COMPLETE':
    case 'STARTED':
      return 'attended';
    case 'NOSHOW':
      return 'no_show';
    default:
      return 'booked';
  }
}

/** Minutes from SCH-9/10, else AIS-7/8, else SCH-11.3 (M30, H1), else the end (SCH-11.5 or TQ1-8) − start. */
function duration(message: Hl7Message, startAt: number, zone: string): number | null {
  const sch = firstSegment(message, 'SCH');
  const ais = firstSegment(message, 'AIS');
  const fromUnits = (amount: string, units: string): number | null => {
    const n = Number(amount);
    if (!amount || !Number.isFinite(n) || n <= 0) return null;
    const factor = unitMinutes(units);
    return factor === null ? null : Math.round(n * factor);
  };
  const fromSch = fromUnits(get(message, sch, 9), get(message, sch, 10, 1));
  if (fromSch !== null) return fromSch;
  const fromAis = fromUnits(get(message, ais, 7), get(message, ais, 8, 1));
  if (fromAis !== null) return fromAis;
  const tq = /^([SMHDW])(\d+)$/i.exec(get(message, sch, 11, 3));
  if (tq) return fromUnits(tq[2] ?? '', tq[1] ?? '');
  const end = parseDtm(get(message, sch, 11, 5, 1) || get(message, firstSegment(message, 'TQ1'), 8, 1), zone);
  return end && end.at > startAt ? Math.round((end.at - startAt) / 60_000) : null;
}

function unitMinutes(units: string): number | null {
  const u = units.trim().toUpperCase();
  if (u === '' || u === 'M' || u === 'MIN' || u === 'MINS' || u === 'MINUTE' || u === 'MINUTES') return 1;
  if (u === 'S' || u === 'SEC' || u === 'SECONDS') return 1 / 60;
  if (u === 'H' || u === 'HR' || u === 'HOUR' || u === 'HOURS') return 60;
  if (u === 'D' || u === 'DAY' || u === 'DAYS') return 1440;
  if (u === 'W' || u === 'WEEK' || u === 'WEEKS') return 10_080;
  return null;
}

/**
 * A wall clock that does not exist in the clinic's zone (its skipped hour) may exist in the site's: keep a rough
 * instant so the record can travel to intake, which reads the time again and refuses it there if it is skipped.
 */
function roughInstant(wall: WallClock, zone: string): number | null {
  const parsed = DateTime.fromObject({ ...wall }, { zone });
  return parsed.isValid ? parsed.toMillis() : null;
}
