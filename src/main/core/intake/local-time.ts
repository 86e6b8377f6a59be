import { DateTime } from 'luxon';

// A wall-clock time at a site → one instant, by one rule for every way an appointment arrives (front desk form, CSV,
// HL7, clinic database):
// - a time that exists once is that instant;
// - a repeated time (the hour the clock goes back) is its EARLIER occurrence, as most schedulers read it. The rule
//   depends only on the zone's rules, never on the season this process started in (luxon alone guesses the offset
//   from "now", so the same file imported in December and in June would land an hour apart);
// - a skipped time (the hour the clock goes forward) does not exist: it is refused with a reason, never moved.

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

export type LocalInstant =
  | { ok: true; at: number; /** The time happens twice that day; `at` is the earlier one. */ ambiguous: boolean }
  | { ok: false; code: 'skipped_time' | 'invalid_time' };

const DAY = 86_400_000;

function offsetMsAt(at: number, zone: string): number {
  return DateTime.fromMillis(at, { zone }).offset * 60_000;
}

export function instantOfWallClock(w: WallClock, zone: string): LocalInstant {
  const second = w.second ?? 0;
  const millisecond = w.millisecond ?? 0;
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, second, millisecond);
  const check = new Date(asUtc);
  // Date.UTC rolls 31 April into 1 May: a date or time that rolled over was not a real one.
  if (
    !Number.isFinite(asUtc) ||
    check.getUTCFullYear() !== w.year ||
    check.getUTCMonth() !== w.month - 1 ||
    check.getUTCDate() !== w.day ||
    check.getUTCHours() !== w.hour ||
    check.getUTCMinutes() !== w.minute ||
    check.getUTCSeconds() !== second
  ) {
    return { ok: false, code: 'invalid_time' };
  }
  if (!DateTime.local().setZone(zone).isValid) return { ok: false, code: 'invalid_time' };
  // The zone's offsets a day either side cover any single transition; each candidate is kept only if the instant it
  // gives really shows this wall-clock time in the zone.
  const offsets = new Set([offsetMsAt(asUtc - DAY, zone), offsetMsAt(asUtc, zone), offsetMsAt(asUtc + DAY, zone)]);
  const instants = [...offsets]
    .map((offset) => asUtc - offset)
    .filter((at) => at + offsetMsAt(at, zone) === asUtc)
    .sort((a, b) => a - b);
  const [earlier] = instants;
  if (earlier === undefined) return { ok: false, code: 'skipped_time' };
  return { ok: true, at: earlier, ambiguous: new Set(instants).size > 1 };
}

/** "2026-04-04T23:30" style text (seconds and milliseconds optional) → the wall clock, or null. */
export function wallClockOfIso(text: string): WallClock | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (!m) return null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    millisecond: Number((m[7] ?? '0').padEnd(3, '0')),
  };
}

/** The reasons a receptionist reads (and the HL7 ACK carries) for the two kinds of impossible or double times. */
export const localTimeTexts = {
  skipped: (when: string, zone: string) => ({
    es: `La hora ${when} no existe en ${zone}: ese día el reloj se adelanta una hora. Corrija la hora de la cita.`,
    en: `The time ${when} does not exist in ${zone}: the clock goes forward an hour that day. Correct the appointment time.`,
  }),
  invalid: (when: string) => ({
    es: `La fecha u hora ${when} no es válida.`,
    en: `The date or time ${when} is not valid.`,
  }),
  ambiguous: (when: string, zone: string) => ({
    es: `La hora ${when} ocurre dos veces en ${zone} (el reloj se atrasa una hora ese día): se tomó la primera.`,
    en: `The time ${when} happens twice in ${zone} (the clock goes back an hour that day): the earlier one was taken.`,
  }),
};
