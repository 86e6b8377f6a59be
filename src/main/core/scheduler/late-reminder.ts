/**
 * The dispatcher wakes at a reminder's own moment, so one picked up within this allowance is on time. Anything later
 * was held up — Avisa off, the machine asleep, sending paused, the channel down, a burst of pacing — and is judged by
 * the late rule below, however little it is late.
 */
export const ON_TIME_MS = 30_000;

export type LateExpiry = 'appointment_passed' | 'too_close';

export type LateVerdict = { go: true; late: boolean } | { go: false; code: LateExpiry };

/**
 * The one rule for a reminder at the moment it would leave (`sendAt`), used by the catch-up and at dispatch: never at
 * or after the appointment's start; when late, only if the appointment is still at least `minBeforeMinutes` ahead
 * (the README's "still worth sending"). An on-time reminder keeps the lead its rule gave it, however short.
 */
export function judgeReminderAt(
  r: { dueAt: number; startsAt: number },
  sendAt: number,
  minBeforeMinutes: number,
): LateVerdict {
  if (r.startsAt <= sendAt) return { go: false, code: 'appointment_passed' };
  const late = sendAt - r.dueAt > ON_TIME_MS;
  if (late && r.startsAt - sendAt < minBeforeMinutes * 60_000) return { go: false, code: 'too_close' };
  return { go: true, late };
}
