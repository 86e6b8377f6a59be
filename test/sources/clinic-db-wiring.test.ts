import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { AvisaCore } from '../../src/main/core/app';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { oneSiteClinic } from '../helpers/fixtures';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

describe('clinic database inside the app', () => {
  it('tests the query, then reads appointments by cursor into Citas with their reminders planned', async () => {
    const clinicFile = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(clinicFile);
    clinic.exec(`CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, celular TEXT,
      inicio TEXT, estado TEXT, servicio TEXT, confirmacion TEXT)`);
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    clinic.prepare('INSERT INTO citas VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)').run(1, '40111222', 'Rosa', 'Torres', '987111222', `${day} 10:00:00`, 'reservada', 'Laboratorio');
    clinic.close();

    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic());
    const config = {
      enabled: false,
      kind: 'appointments' as const,
      connection: { driver: 'sqlite' as const, file: clinicFile },
      query: `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
        celular AS phone, inicio AS starts_at, estado AS status, servicio AS service FROM citas WHERE id > :cursor ORDER BY id`,
      cursorColumn: 'appointment_id',
      initialCursor: 0,
      keyPrefix: 'clinic-db',
      timeZone: 'America/Lima',
      statusMap: { reservada: 'booked' as const },
      fileBaseDir: '',
      pollSeconds: 5,
      timeoutSeconds: 10,
      writeBack: null,
    };
    await call('sources.clinicDb.set', { kind: 'appointments', config });
    const test = await call('sources.clinicDb.test', { kind: 'appointments' });
    expect(test).toMatchObject({ ok: true, missing: [] });
    if (test.ok) expect(test.rows[0]).toMatchObject({ appointment_id: '1', document_number: '40111222' });

    await call('sources.clinicDb.set', { kind: 'appointments', config: { ...config, enabled: true } });
    const from = Date.now();
    await expect.poll(async () => (await call('appointments.day', { from, to: from + 5 * 86_400_000 })).appointments.length, { timeout: 10_000 }).toBe(1);
    const view = await call('appointments.day', { from, to: from + 5 * 86_400_000 });
    expect(view.appointments[0]).toMatchObject({ patientName: 'Rosa Torres', serviceName: 'Laboratorio', status: 'booked' });
    // The patient came from the clinic's database without consent: Citas says why no reminder will go.
    expect(view.issues.map((i) => i.code)).toContain('no_consent');

    const bad = await call('sources.clinicDb.set', { kind: 'results', config: { ...config, kind: 'results', query: 'SELECT nope FROM nowhere' } });
    expect(bad.results?.query).toBe('SELECT nope FROM nowhere');
    const failed = await call('sources.clinicDb.test', { kind: 'results' });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.es.length).toBeGreaterThan(5);
  }, 30_000);
});
