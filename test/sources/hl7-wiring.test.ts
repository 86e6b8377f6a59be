import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { startCore } from '../helpers/core';
import { sendHl7 } from '../helpers/mllp';
import { tempDir } from '../helpers/temp';
import { makePdf, oruR01, siu } from './hl7-fixtures';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

describe('HL7 inside the app', () => {
  it('an ORU^R01 result lands in the intake and an SIU^S12 appointment is planned; both acknowledged AA', async () => {
    const { core, call } = await startCore(tempDir());
    cores.push(core);
    await call('setup.complete', {
      clinicName: 'Clínica San Pablo',
      sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'cloud-api',
    });
    await call('settings.update', { hl7: { enabled: true, port: 0 } });
    const port = (await call('app.status', {})).hl7Port!;
    expect(port).toBeGreaterThan(0);

    const resultAck = await sendHl7(port, oruR01(await makePdf()));
    expect(resultAck.split('\r').find((s) => s.startsWith('MSA'))).toMatch(/^MSA\|AA\|/);
    // The patient came with names and a phone but no consent: the result waits in review with that reason.
    await expect.poll(async () => (await call('results.review', {})).rows.map((r) => r.code), { timeout: 10_000 }).toEqual(['no_consent']);

    const day = new Date(Date.now() + 3 * 86_400_000);
    const ymd = `${day.getUTCFullYear()}${String(day.getUTCMonth() + 1).padStart(2, '0')}${String(day.getUTCDate()).padStart(2, '0')}`;
    const siuAck = await sendHl7(port, siu('S12', { start: `${ymd}100000` }));
    expect(siuAck.split('\r').find((s) => s.startsWith('MSA'))).toMatch(/^MSA\|AA\|/);
    const from = Date.now();
    const appointments = await call('appointments.day', { from, to: from + 5 * 86_400_000 });
    expect(appointments.appointments).toHaveLength(1);
    expect(appointments.appointments[0]).toMatchObject({ siteName: 'Sede Miraflores', serviceName: 'Cardiología', status: 'booked' });
    // No consent recorded for this patient: the reminders will not go, and Citas says why.
    expect(appointments.issues.map((i) => i.code)).toContain('no_consent');

    // The same SIU again: still one appointment.
    await sendHl7(port, siu('S12', { start: `${ymd}100000` }));
    expect((await call('appointments.day', { from, to: from + 5 * 86_400_000 })).appointments).toHaveLength(1);
  }, 30_000);
});
