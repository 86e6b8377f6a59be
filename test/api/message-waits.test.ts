import { afterEach, describe, expect, it } from 'vitest';
import { cloudRig } from '../helpers/cloud';

const HOUR = 3_600_000;
// Friday 4 December 2026, 10:00 in Lima (UTC−5): a fixed clock for the whole test.
const NOW = Date.UTC(2026, 11, 4, 15, 0);
type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

describe('Mensajes says why a queued reminder waits', () => {
  it('its lead before the appointment, and whether quiet hours moved it earlier', async () => {
    const r = await cloudRig({}, { now: () => NOW });
    rigs.push(r);
    const [site] = await r.call('sites.list', {});
    const [service] = await r.call('services.list', {});
    const p = await r.patient();
    // Monday 7 December, 07:30 in Lima: the 24 h reminder goes Sunday 07:30 (after quiet hours end at 07:00); the 2 h
    // one would be 05:30, inside quiet hours, so it goes Sunday evening before 21:00 instead.
    const startsAt = Date.UTC(2026, 11, 7, 12, 30);
    await r.call('appointments.create', { patientId: p.id, siteId: site!.id, serviceId: service!.id, startsAt });
    const list = await r.call('messages.list', { state: 'queued' });
    const waits = list.rows
      .filter((m) => m.kind === 'reminder')
      .map((m) => ({ notBefore: m.notBefore, ...m.reminderWait }))
      .sort((a, b) => a.notBefore - b.notBefore);
    expect(waits).toEqual([
      { notBefore: startsAt - 24 * HOUR, appointmentAt: startsAt, leadMinutes: 1440, movedForQuietHours: false, timeZone: 'America/Lima' },
      { notBefore: expect.any(Number), appointmentAt: startsAt, leadMinutes: 120, movedForQuietHours: true, timeZone: 'America/Lima' },
    ]);
    expect(waits[1]!.notBefore).toBeLessThan(startsAt - 10 * HOUR);

    // The detail carries the same facts; a message that is not a reminder carries none.
    const detail = await r.call('messages.timeline', { id: list.rows.find((m) => m.kind === 'reminder')!.id });
    expect(detail.message.reminderWait?.appointmentAt).toBe(startsAt);
    const manual = await r.call('messages.send', { patientId: p.id, mode: 'text', text: 'Hola' });
    expect((await r.call('messages.list', {})).rows.find((m) => m.id === manual.id)?.reminderWait).toBeUndefined();
  });
});
