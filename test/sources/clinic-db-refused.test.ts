import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { agendaSource, clinicAgenda, editClinicDatabase } from '../helpers/clinic-agenda';
import { startCore } from '../helpers/core';

// An appointment row that names a site Avisa does not know used to be logged and dropped: the patient got no reminder
// and nobody at the clinic knew. It is kept with its reason until the site is mapped, then processed again.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

const DAY = DateTime.now().setZone('America/Lima').plus({ days: 3 }).toISODate() as string;

/** A one-site clinic in Lima whose appointments source reads `file` with `query`, the rows' `v` as the cursor. */
async function limaClinicReading(file: string, query: string) {
  const { core, call } = await startCore();
  cores.push(core);
  await call('setup.complete', {
    clinicName: 'Clínica',
    sites: [{ name: 'Sede Lima', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Consulta' }],
    channel: 'cloud-api',
  });
  await call('sources.clinicDb.set', { kind: 'appointments', config: agendaSource(file, query, { cursorColumn: 'v' }) });
  return call;
}

describe('clinic-database appointments Avisa cannot take', () => {
  it('are kept with the reason, and taken once their site code is mapped and they are processed again', async () => {
    const file = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, celular TEXT, inicio TEXT, sede TEXT)',
      `INSERT INTO citas VALUES (?, ?, ?, ?, '987111222', ?, ?)`,
      [
        [1, '40111222', 'Rosa', 'Torres', `${DAY} 10:00:00`, 'Sede Lima'],
        [2, '40333444', 'Luis', 'Rojas', `${DAY} 09:30:00`, 'MX-07'],
      ],
    );

    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', {
      clinicName: 'Clínica Andina',
      sites: [
        { name: 'Sede Lima', country: 'PE', timeZone: 'America/Lima' },
        { name: 'Sede Polanco', country: 'MX', timeZone: 'America/Mexico_City' },
      ],
      services: [{ name: 'Consulta' }],
      channel: 'cloud-api',
    });
    const polanco = (await call('sites.list', {})).find((s) => s.name === 'Sede Polanco');
    await call('sources.clinicDb.set', {
      kind: 'appointments',
      config: agendaSource(
        file,
        `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          celular AS phone, inicio AS starts_at, 'reservada' AS status, sede AS site FROM citas WHERE id > :cursor ORDER BY id`,
        { statusMap: { reservada: 'booked' } },
      ),
    });

    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 15_000 }).toBe(1);
    const [refused] = await call('clinicDb.refused', {});
    expect(refused).toMatchObject({ appointmentId: '2', patientName: 'Luis Rojas', site: 'MX-07', code: 'unknown_site', start: `${DAY} 09:30` });
    expect(refused?.reason).toMatch(/«MX-07» no existe en Avisa.*Base de datos de la clínica/);
    const from = Date.now();
    const week = { from, to: from + 6 * 86_400_000 };
    expect((await call('appointments.day', week)).appointments.map((a) => a.patientName)).toEqual(['Rosa Torres']);

    // Processed again before anything changed: still refused, with the same reason; the list keeps it.
    const again = await call('clinicDb.retry', { id: refused?.id ?? 0 });
    expect(again).toMatchObject({ taken: false, reason: expect.stringMatching(/MX-07/) });
    expect(await call('clinicDb.refused', {})).toHaveLength(1);

    const saved = await call('clinicDb.setSiteCodes', { siteCodes: [{ code: 'MX-07', siteId: polanco?.id ?? 0 }] });
    expect(saved?.siteCodes).toEqual([{ code: 'MX-07', siteId: polanco?.id }]);
    expect(await call('clinicDb.retry', { id: refused?.id ?? 0 })).toEqual({ taken: true, reason: null });
    expect(await call('clinicDb.refused', {})).toEqual([]);
    const taken = (await call('appointments.day', week)).appointments.find((a) => a.patientName === 'Luis Rojas');
    expect(taken).toMatchObject({ siteName: 'Sede Polanco', timeZone: 'America/Mexico_City' });
    // The row's 09:30 is the mapped site's clock (Mexico City, an hour behind the source's Lima), not Lima's.
    expect(taken?.startsAt).toBe(DateTime.fromISO(`${DAY}T09:30`, { zone: 'America/Mexico_City' }).toMillis());
    // Taken once: a second click finds nothing to do.
    expect((await core.invoke('clinicDb.retry', { id: refused?.id ?? 0 })).ok).toBe(false);
  }, 40_000);

  it('a row read again after the clinic fixed its site leaves the list by itself', async () => {
    const file = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, inicio TEXT, sede TEXT, v INTEGER)',
      `INSERT INTO citas VALUES (1, ?, 'Rosa', 'Torres', ?, ?, 1)`,
      [['40111222', `${DAY} 10:00:00`, 'Sede Desconocida']],
    );
    const call = await limaClinicReading(
      file,
      `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          '987111222' AS phone, inicio AS starts_at, 'booked' AS status, sede AS site, v FROM citas WHERE v > :cursor ORDER BY v`,
    );
    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 15_000 }).toBe(1);
    editClinicDatabase(file, `UPDATE citas SET sede = 'Sede Lima', v = 2 WHERE id = 1`);
    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 15_000 }).toBe(0);
    const from = Date.now();
    expect((await call('appointments.day', { from, to: from + 6 * 86_400_000 })).appointments).toHaveLength(1);
  }, 40_000);

  it('a row that cannot be read as an appointment is listed too, and leaves the list once the clinic fixes it', async () => {
    const file = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, inicio TEXT, estado TEXT, v INTEGER)',
      `INSERT INTO citas VALUES (5, '40111222', 'Rosa', ?, 'en sala', 1)`,
      [[`${DAY} 10:00:00`]],
    );
    const call = await limaClinicReading(
      file,
      `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, 'Torres' AS last_names,
          '987111222' AS phone, inicio AS starts_at, estado AS status, v FROM citas WHERE v > :cursor ORDER BY v`,
    );
    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 15_000 }).toBe(1);
    const [row] = await call('clinicDb.refused', {});
    expect(row).toMatchObject({ appointmentId: '5', code: 'unknown_status', reason: expect.stringContaining('en sala') });
    const again = await call('clinicDb.retry', { id: row?.id ?? 0 });
    expect(again).toMatchObject({ taken: false, reason: expect.stringMatching(/Corrija la fila/) });

    editClinicDatabase(file, `UPDATE citas SET estado = 'reservada', v = 2 WHERE id = 5`);
    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 15_000 }).toBe(0);
  }, 40_000);
});
