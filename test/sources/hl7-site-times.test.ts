import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { startCore } from '../helpers/core';
import { msaOf, sendWithPythonHl7 } from '../helpers/python-mllp';
import { tempDir } from '../helpers/temp';

// SIU appointments sent by python-hl7's MLLP client to the app's listener: each time read in the zone of the site the
// appointment belongs to, an unknown site refused (AE) until a code maps it, the start found in TQ1-7, and the one
// rule for repeated and skipped local hours.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** A v2.5 SIU^S12 with the start in the fields a given sender uses; `location` goes to AIL-3 (PL: ^^^facility). */
function siuS12(o: {
  id: string;
  location?: string;
  sch11?: string;
  tq1?: { start: string; end?: string };
  ais4?: string;
}): string {
  return [
    `MSH|^~\\&|AGENDA|CLINICA|AVISA|AVISA|20270301090000||SIU^S12^SIU_S12|CTRL-${o.id}|P|2.5`,
    // SCH-1, -2 ids; SCH-7 reason; SCH-11 timing (^^duration^start); SCH-25 filler status.
    ['SCH', `${o.id}^AGENDA`, `${o.id}^AGENDA`, '', '', '', '', 'CONSULTA^Consulta', '', '', '', o.sch11 ?? '', ...Array(13).fill(''), 'Booked'].join('|'),
    ...(o.tq1 ? [`TQ1|1||||||${o.tq1.start}|${o.tq1.end ?? ''}`] : []),
    'PID|1||40123456^^^RENIEC^DNI||Torres Vega^Rosa^Elena||19781012|F|||||^PRN^CP^^51^^912345678',
    'RGS|1|A',
    `AIS|1|A|CARD01^Cardiología^L|${o.ais4 ?? ''}`,
    ...(o.location !== undefined ? [`AIL|1|A|${o.location}`] : []),
  ].join('\r');
}

const NOW = Date.parse('2027-03-01T12:00:00Z');

async function clinicWithThreeSites() {
  const { core, call } = await startCore(tempDir(), { now: () => NOW });
  cores.push(core);
  await call('setup.complete', {
    clinicName: 'Red Andina',
    sites: [
      { name: 'Sede Lima', country: 'PE', timeZone: 'America/Lima' },
      { name: 'Sede Ciudad de México', country: 'MX', timeZone: 'America/Mexico_City' },
      { name: 'Sede Santiago', country: 'CL', timeZone: 'America/Santiago' },
    ],
    services: [{ name: 'Cardiología' }],
    channel: 'cloud-api',
  });
  await call('settings.update', { hl7: { enabled: true, port: 0 } });
  const port = (await call('app.status', {})).hl7Port;
  if (!port) throw new Error('HL7 listener not up');
  const sites = await call('sites.list', {});
  const siteId = (name: string) => sites.find((s) => s.name === name)?.id ?? 0;
  const appointments = async () =>
    (await call('appointments.day', { from: NOW, to: NOW + 400 * 86_400_000 })).appointments;
  const send = async (message: string) => msaOf(await sendWithPythonHl7(port, message));
  return { call, send, siteId, appointments, port };
}

let python = true;
beforeAll(async () => {
  // The Debian package is a declared test dependency; say so plainly if it is missing.
  await sendWithPythonHl7(1, '').catch((e: Error) => {
    python = !/No module named/.test(e.message);
  });
  if (!python) throw new Error('python3-hl7 is not installed (apt-get install python3-hl7)');
});

describe('HL7 SIU times in the zone of their site', () => {
  it('a 10:00 appointment at a Mexico City site is 10:00 there, not 10:00 in Lima (the first site)', async () => {
    const c = await clinicWithThreeSites();
    expect(await c.send(siuS12({ id: 'MX1', location: '^^^Sede Ciudad de México', sch11: '^^30^20270303100000' }))).toEqual({ code: 'AA', text: '' });
    expect(await c.send(siuS12({ id: 'LI1', location: '^^^Sede Lima', sch11: '^^30^20270303100000' }))).toEqual({ code: 'AA', text: '' });
    const byKey = new Map((await c.appointments()).map((a) => [a.siteName, a]));
    expect(byKey.get('Sede Ciudad de México')).toMatchObject({ startsAt: Date.parse('2027-03-03T16:00:00Z'), timeZone: 'America/Mexico_City' });
    expect(byKey.get('Sede Lima')).toMatchObject({ startsAt: Date.parse('2027-03-03T15:00:00Z') });
  });

  it('no site named and several sites: the first stands in, and the AA says so', async () => {
    const c = await clinicWithThreeSites();
    const ack = await c.send(siuS12({ id: 'NS1', sch11: '^^30^20270310100000' }));
    expect(ack.code).toBe('AA');
    expect(ack.text).toContain('La cita no indica sede: se asignó a «Sede Lima» y su hora se leyó en America/Lima.');
  });

  it('an unknown site is refused with AE and the reason; a code mapped in Ajustes → HL7 then takes it', async () => {
    const c = await clinicWithThreeSites();
    const refused = await c.send(siuS12({ id: 'X1', location: 'CONS3^^^SUC-NORTE', sch11: '^^30^20270310100000' }));
    expect(refused.code).toBe('AE');
    expect(refused.text).toContain('La sede «SUC-NORTE / CONS3» no existe en Avisa');
    expect(await c.appointments()).toEqual([]);

    // Kept in the HL7 review list with the reason; processing it again before the fix refuses it again.
    const [kept] = await c.call('hl7.refused', {});
    expect(kept).toMatchObject({ ack: 'AE', code: '103', messageType: 'SIU^S12', controlId: 'CTRL-X1' });
    expect(kept?.reason).toContain('La sede «SUC-NORTE / CONS3» no existe en Avisa');
    expect(await c.call('hl7.retry', { id: kept?.id ?? 0 })).toMatchObject({ taken: false });

    await c.call('settings.update', { hl7: { siteCodes: [{ code: 'suc-norte', siteId: c.siteId('Sede Ciudad de México') }] } });
    // Taken from the list once the code is mapped: the appointment is there and the list is empty.
    expect(await c.call('hl7.retry', { id: kept?.id ?? 0 })).toEqual({ taken: true, reason: null });
    expect(await c.call('hl7.refused', {})).toEqual([]);
    expect(await c.appointments()).toMatchObject([{ siteName: 'Sede Ciudad de México', startsAt: Date.parse('2027-03-10T16:00:00Z') }]);
    const port = (await c.call('app.status', {})).hl7Port ?? 0;
    const again = msaOf(await sendWithPythonHl7(port, siuS12({ id: 'X1', location: 'CONS3^^^SUC-NORTE', sch11: '^^30^20270310100000' })));
    expect(again).toEqual({ code: 'AA', text: '' });
    expect(await c.appointments()).toMatchObject([{ siteName: 'Sede Ciudad de México', startsAt: Date.parse('2027-03-10T16:00:00Z') }]);
  });

  it('reads the start from TQ1-7 (and the end from TQ1-8) when SCH-11 is empty, and from AIS-4', async () => {
    const c = await clinicWithThreeSites();
    const tq1 = await c.send(siuS12({ id: 'TQ1', location: '^^^Sede Lima', tq1: { start: '20270311083000', end: '20270311090000' } }));
    expect(tq1).toEqual({ code: 'AA', text: '' });
    const ais = await c.send(siuS12({ id: 'AIS1', location: '^^^Sede Lima', ais4: '20270312091500' }));
    expect(ais).toEqual({ code: 'AA', text: '' });
    expect((await c.appointments()).map((a) => a.startsAt).sort()).toEqual([
      Date.parse('2027-03-11T13:30:00Z'),
      Date.parse('2027-03-12T14:15:00Z'),
    ]);
  });

  it('a repeated local hour (Santiago, 3 April 2027, 23:30) is the earlier one, with a warning in the AA', async () => {
    const c = await clinicWithThreeSites();
    const ack = await c.send(siuS12({ id: 'CL1', location: '^^^Sede Santiago', sch11: '^^30^20270403233000' }));
    expect(ack.code).toBe('AA');
    expect(ack.text).toContain('ocurre dos veces en America/Santiago');
    expect(await c.appointments()).toMatchObject([{ startsAt: Date.parse('2027-04-04T02:30:00Z') }]);
  });

  it('a skipped local hour (Santiago, 5 September 2027, 00:30) is refused with AE and the reason, never moved', async () => {
    const c = await clinicWithThreeSites();
    const ack = await c.send(siuS12({ id: 'CL2', location: '^^^Sede Santiago', sch11: '^^30^20270905003000' }));
    expect(ack).toEqual({
      code: 'AE',
      text: 'La hora 2027-09-05 00:30 no existe en America/Santiago: ese día el reloj se adelanta una hora. Corrija la hora de la cita.',
    });
    expect(await c.appointments()).toEqual([]);
  });
});
