import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

// Server mode with AVISA_FAKE_NOW (only with --demo): the outage scenario run through the built server, its catch-up
// at start and its dispatcher with the demo channel, without waiting real time.

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const MINUTE = 60_000;
// Lima, UTC−5 all year. Booked at 09:00; the appointment at 12:00; reminder rules changed to 65 and 5 minutes before.
const BOOKED = Date.parse('2030-03-04T09:00:00-05:00');
const STARTS = Date.parse('2030-03-04T12:00:00-05:00');

async function start(dataDir: string, at: number, args = ['--demo']): Promise<RunningServer> {
  const server = await startServerProcess(dataDir, { AVISA_FAKE_NOW: new Date(at).toISOString() }, { args });
  running.push(server);
  return server;
}

/**
 * A clinic whose appointment at 12:00 has one reminder, `lead` minutes before (only one: a late reminder followed
 * closely by the appointment's next one gives way to it, which is not what these cases look at).
 */
async function bookedClinic(lead: number): Promise<{ dataDir: string; appointmentId: number }> {
  const dataDir = tempDir();
  const server = await start(dataDir, BOOKED);
  const api = <N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> => callServer(server, name, args);
  await api('setup.complete', {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'demo',
  });
  const { rules } = await api('reminders.rules', {});
  for (const rule of rules) {
    await api('reminders.saveRule', { ...rule, leadMinutes: lead, enabled: rule.ruleKey === '24h' });
  }
  await api('reminders.saveSettings', { siteId: null, quietHours: null });
  const patient = await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  const [site] = await api('sites.list', {});
  const [service] = await api('services.list', {});
  const apt = await api('appointments.create', { patientId: patient.id, siteId: site?.id ?? 0, serviceId: service?.id ?? 0, startsAt: STARTS });
  await server.stop();
  return { dataDir, appointmentId: apt.id };
}

/** Avisa was off from the booking until `at`; it starts again there and its reminders settle. */
async function resumeAt(clinic: { dataDir: string; appointmentId: number }, at: number, lead: number) {
  const server = await start(clinic.dataDir, at);
  const reminders = async () =>
    (await callServer(server, 'appointments.day', { from: STARTS - 3 * 60 * MINUTE, to: STARTS + MINUTE })).reminders
      .filter((r) => r.appointmentId === clinic.appointmentId)
      .map((r) => ({ lead, state: r.state, sentAt: r.sentAt, reason: r.lastErrorReason }));
  return { server, reminders };
}

describe('a clock for tests and demos in server mode', () => {
  it('is refused without --demo: the server does not start on a made-up time', async () => {
    await expect(start(tempDir(), BOOKED, [])).rejects.toThrow(/AVISA_FAKE_NOW solo se acepta junto con --demo/);
  }, 60_000);

  it('an outage ending 0, 3, 7 minutes after the 65-minute reminder, and 7 after the 5-minute one', async () => {
    const clinic = await bookedClinic(65);
    const due65 = STARTS - 65 * MINUTE;
    const due5 = STARTS - 5 * MINUTE;
    for (const [at, expected] of [
      [due65, 'sent'], // on time
      [due65 + 3 * MINUTE, 'sent'], // late, 62 min ahead: still worth it
      [due65 + 7 * MINUTE, 'expired'], // late, 58 min ahead: closer than the 60-minute minimum
    ] as const) {
      const copy = tempDir();
      const { cpSync } = await import('node:fs');
      cpSync(clinic.dataDir, copy, { recursive: true });
      const { server, reminders } = await resumeAt({ ...clinic, dataDir: copy }, at, 65);
      await expect.poll(async () => (await reminders()).find((r) => r.lead === 65)?.state, { timeout: 20_000 }).not.toMatch(/queued|sending/);
      // The demo channel refuses about 6 % of messages, as an unreachable number would: "failed" also means it left.
      const left = expect.stringMatching(/sent|delivered|read|failed/);
      expect(await reminders(), String((at - due65) / MINUTE)).toMatchObject([{ lead: 65, state: expected === 'sent' ? left : expected }]);
      const sent = (await reminders()).find((r) => r.lead === 65);
      if (sent?.sentAt) expect(STARTS - sent.sentAt).toBeGreaterThanOrEqual(expected === 'sent' && at > due65 ? 60 * MINUTE : 0);
      await server.stop();
    }
    const five = await bookedClinic(5);
    const { reminders } = await resumeAt(five, due5 + 7 * MINUTE, 5);
    await expect.poll(async () => (await reminders()).find((r) => r.lead === 5)?.state, { timeout: 20_000 }).toBe('expired');
    expect((await reminders()).find((r) => r.lead === 5)?.reason).toContain('la cita ya pasó');
  }, 120_000);
});
