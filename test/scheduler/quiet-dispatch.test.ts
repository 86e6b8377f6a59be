import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage } from '../../src/main/core/channels/channel';
import { createDispatcher, throughOneChannel, type Dispatcher } from '../../src/main/core/outbox/dispatcher';
import { quietHoursGate } from '../../src/main/core/scheduler/quiet-gate';
import { clinic, type Clinic } from './clinic';

// The dispatcher at a fixed clock that the test moves by hand: pacing or a daily cap has pushed reminders past 21:00
// (the default quiet hours are 21:00–07:00 in the site's zone, Lima).

const dispatchers: Dispatcher[] = [];
afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.stop();
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function sender(c: Clinic, o: { dailyCap?: number } = {}) {
  const sent: OutgoingMessage[] = [];
  let nowAsked = 0;
  const channel: Channel = {
    id: 'demo',
    recipientGapMs: 0,
    send: async (m) => {
      sent.push(m);
      return { ok: true, providerId: `wamid.${m.id}` };
    },
    close: () => undefined,
  };
  // No pacing of its own (no rate, no gap) and the day's count in the database: a fresh dispatcher per pass is the
  // same dispatcher, and stopping it is how a test knows the pass has ended.
  const dispatcher = (): Dispatcher => {
    const d = createDispatcher({
      db: c.db,
      outbox: c.outbox,
      ...throughOneChannel(() => channel),
      isPaused: () => false,
      now: () => {
        nowAsked++;
        return c.now();
      },
      maxPerSecond: () => 0,
      dailyCap: () => o.dailyCap ?? 0,
      dayOf: (at) => new Date(at - 5 * 3_600_000).toISOString().slice(0, 10), // Lima's day
      nextDayStart: (at) => c.local(`${new Date(at - 5 * 3_600_000 + 86_400_000).toISOString().slice(0, 10)}T00:00`),
      maxInFlight: 4,
      maxAttempts: 3,
      backoffMs: () => 20,
      onAccountProblem: () => undefined,
      gate: quietHoursGate({ db: c.db, language: () => 'es' }),
    });
    dispatchers.push(d);
    return d;
  };
  /** One whole pass over the queue: woken, started (waking reads the clock twice, the pass a third time), stopped. */
  const pass = async (): Promise<void> => {
    const d = dispatcher();
    const before = nowAsked;
    d.wake();
    await until(() => nowAsked > before + 2);
    // Stopping waits for the pass under way, and for the sends it has in flight to be recorded.
    await d.stop();
  };
  return { sent, pass };
}

const byRule = (c: Clinic, appointmentId: number, rule: string) => {
  const m = c.messages(appointmentId).find((x) => x.idempotencyKey === `reminder:${appointmentId}:${rule}`);
  if (!m) throw new Error(`no ${rule} reminder`);
  return m;
};

describe('quiet hours at dispatch time', () => {
  it('holds a reminder pushed past 21:00 to 07:00 when the appointment is still far enough ahead, then sends it', async () => {
    const c = clinic({ now: '2026-03-01T10:00' });
    const apt = c.book({ key: 'a', patientId: c.patient(), startsAt: c.local('2026-03-03T20:30') });
    expect(byRule(c, apt, '24h').notBefore).toBe(c.local('2026-03-02T20:30'));
    // Pacing kept it back: at 21:04 it is still queued.
    c.setNow(c.local('2026-03-02T21:04'));
    const { sent, pass } = sender(c);
    await pass();
    expect(sent).toEqual([]);
    const held = byRule(c, apt, '24h');
    expect(held).toMatchObject({ state: 'queued', notBefore: c.local('2026-03-03T07:00') });
    const notes = (c.db.prepare('SELECT detail FROM message_events WHERE message_id = ?').all(held.id) as { detail: string | null }[]).map(
      (e) => e.detail ?? '',
    );
    expect(notes.some((n) => n.startsWith('Retenido hasta el fin del horario de silencio'))).toBe(true);

    // Still night at 06:59: nothing; at 07:00 it goes, once.
    c.setNow(c.local('2026-03-03T06:59'));
    await pass();
    expect(sent).toEqual([]);
    c.setNow(c.local('2026-03-03T07:00'));
    await pass();
    await until(() => sent.length === 1);
    expect(sent.map((m) => m.id)).toEqual([held.id]);
    expect(byRule(c, apt, '24h').state).toBe('sent');
  });

  it('expires a reminder pushed into quiet hours when the appointment would be too close once they end', async () => {
    const c = clinic({ now: '2026-03-01T10:00' });
    // 07:30: its 2 h reminder (05:30) was moved to 20:59 the evening before.
    const apt = c.book({ key: 'b', patientId: c.patient(), startsAt: c.local('2026-03-03T07:30') });
    const twoHours = byRule(c, apt, '2h');
    expect(twoHours.notBefore).toBe(c.local('2026-03-02T20:59'));
    const oneDay = byRule(c, apt, '24h');
    for (const state of ['sending', 'sent'] as const) c.outbox.move(oneDay.id, state, { providerId: 'wamid.sent-earlier' });
    c.setNow(c.local('2026-03-02T21:01'));
    const { sent, pass } = sender(c);
    await pass();
    expect(sent).toEqual([]);
    expect(byRule(c, apt, '2h')).toMatchObject({
      state: 'expired',
      lastErrorCode: 'reminder.quiet_hours',
      lastErrorReason:
        'No salió antes del horario de silencio (por el ritmo de envío o el límite diario) y al terminar este faltarían menos de 60 min para la cita.',
    });
  });

  it('expires a held reminder that the next reminder of the appointment would follow too closely', async () => {
    const c = clinic({ now: '2026-03-01T10:00' });
    const apt = c.book({ key: 'c', patientId: c.patient(), startsAt: c.local('2026-03-03T09:30') });
    // The 24 h reminder (09:30 the day before) is still queued at 21:10; the 2 h one goes at 07:30.
    c.setNow(c.local('2026-03-02T21:10'));
    const { sent, pass } = sender(c);
    await pass();
    expect(sent).toEqual([]);
    expect(byRule(c, apt, '24h')).toMatchObject({ state: 'expired', lastErrorCode: 'reminder.quiet_hours' });
    expect(byRule(c, apt, '24h').lastErrorReason).toContain('solo sale el siguiente recordatorio');
    expect(byRule(c, apt, '2h')).toMatchObject({ state: 'queued', notBefore: c.local('2026-03-03T07:30') });
  });

  it('a daily cap that reopens at midnight does not send the reminders it held back in the night', async () => {
    const c = clinic({ now: '2026-03-01T10:00' });
    const first = c.book({ key: 'd1', patientId: c.patient({ phone: '+51987000001' }), startsAt: c.local('2026-03-03T20:40') });
    const second = c.book({ key: 'd2', patientId: c.patient({ phone: '+51987000002' }), startsAt: c.local('2026-03-03T20:45') });
    c.setNow(c.local('2026-03-02T20:50'));
    const { sent, pass } = sender(c, { dailyCap: 1 });
    await pass();
    await until(() => sent.length === 1);
    expect(sent.map((m) => m.id)).toEqual([byRule(c, first, '24h').id]);
    expect(byRule(c, second, '24h').state).toBe('queued');

    // Midnight: a new day for the cap, still night for the patient.
    c.setNow(c.local('2026-03-03T00:00'));
    await pass();
    expect(sent).toHaveLength(1);
    expect(byRule(c, second, '24h')).toMatchObject({ state: 'queued', notBefore: c.local('2026-03-03T07:00') });

    c.setNow(c.local('2026-03-03T07:00'));
    await pass();
    await until(() => sent.length === 2);
    expect(byRule(c, second, '24h').state).toBe('sent');
  });
});
