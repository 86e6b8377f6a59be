import { afterEach, describe, expect, it } from 'vitest';
import { cloudRig } from '../helpers/cloud';

const HOUR = 3_600_000;
type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

describe('reminders inside the app', () => {
  it('plans 24 h and 2 h reminders for a booked appointment and withdraws them when it is cancelled', async () => {
    const r = await cloudRig();
    rigs.push(r);
    const [site] = await r.call('sites.list', {});
    const [service] = await r.call('services.list', {});
    const p = await r.patient();
    const startsAt = Date.now() + 3 * 24 * HOUR;
    const apt = await r.call('appointments.create', { patientId: p.id, siteId: site!.id, serviceId: service!.id, startsAt });
    const day = await r.call('appointments.day', { from: startsAt - HOUR, to: startsAt + HOUR });
    expect(day.appointments.map((a) => a.id)).toEqual([apt.id]);
    expect(day.reminders.map((x) => [x.ruleKey, x.state]).sort()).toEqual([
      ['24h', 'queued'],
      ['2h', 'queued'],
    ]);
    await r.call('appointments.setStatus', { id: apt.id, status: 'cancelled' });
    const after = await r.call('appointments.day', { from: startsAt - HOUR, to: startsAt + HOUR });
    expect(after.reminders.map((x) => x.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('previews when each reminder would go, moving one out of quiet hours', async () => {
    const r = await cloudRig();
    rigs.push(r);
    const [site] = await r.call('sites.list', {});
    const [service] = await r.call('services.list', {});
    // 07:30 in Lima, three days ahead: the 2 h reminder (05:30) falls in quiet hours and moves to 20:59 the day before.
    const base = new Date(Date.now() + 3 * 24 * HOUR);
    const startsAt = Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate(), 12, 30);
    const preview = await r.call('reminders.preview', { siteId: site!.id, serviceId: service!.id, startsAt });
    const twoHours = preview.planned.find((x) => x.ruleKey === '2h');
    expect(twoHours?.movedForQuietHours).toBe(true);
    expect(twoHours?.sendAt).toBe(startsAt - (10 * HOUR + 31 * 60_000)); // 20:59 the evening before
    expect(twoHours?.localWhen).toMatch(/20:59/);
  });

  it('a patient’s "Confirmar" tap on the sent reminder confirms the appointment', async () => {
    const now = Date.now();
    let ahead = 0;
    const r = await cloudRig({}, { now: () => Date.now() + ahead });
    rigs.push(r);
    await r.call('reminders.saveSettings', { siteId: null, quietHours: null });
    const [site] = await r.call('sites.list', {});
    const [service] = await r.call('services.list', {});
    const p = await r.patient();
    const apt = await r.call('appointments.create', { patientId: p.id, siteId: site!.id, serviceId: service!.id, startsAt: now + 2 * HOUR + 40 * 60_000 });
    // The 2 h reminder is due 40 minutes after booking: move the app's clock past it and let sending look again.
    ahead = 41 * 60_000;
    await r.call('sending.resume', {});
    await expect
      .poll(async () => (await r.call('appointments.day', { from: now, to: now + 3 * HOUR })).reminders.find((x) => x.ruleKey === '2h')?.state, { timeout: 10_000 })
      .toBe('sent');
    const sent = r.fake.accepted.at(-1)!;
    expect(sent.body).toMatchObject({ type: 'template', template: { name: 'recordatorio_cita' } });
    await r.fake.inbound({ from: p.phoneE164!.slice(1), button: { payload: `CONFIRM:${apt.id}`, text: 'Confirmar' }, contextId: sent.wamid });
    await r.fake.idle();
    await expect
      .poll(async () => (await r.call('appointments.day', { from: now, to: now + 3 * HOUR })).answers)
      .toEqual([expect.objectContaining({ appointmentId: apt.id, answer: 'confirmed', replyBody: 'Confirmar' })]);
  });
});
