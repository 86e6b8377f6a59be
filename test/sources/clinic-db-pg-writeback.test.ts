import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import pg from 'pg';
import { cloudRig } from '../helpers/cloud';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// The whole path against a real PostgreSQL: the clinic's agenda polled into Citas, the reminder sent, the patient
// answers "sí", the appointment is confirmed in Avisa and the one configured column of that one row is updated.

const pgBin = findPgBin();
if (!pgBin) console.warn('SKIPPED PostgreSQL write-back test: no initdb found (install the Debian package `postgresql`).');

let server: PgServer | undefined;
let client: pg.Client | undefined;

beforeAll(async () => {
  if (!pgBin) return;
  server = await startPgServer(pgBin);
  client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  server?.stop();
});

const HOUR = 3_600_000;

describe.skipIf(!pgBin)('clinic database write-back inside the app — PostgreSQL', () => {
  it('a patient’s "sí" confirms the appointment and updates only the configured column of only that row', async () => {
    const db = client as pg.Client;
    const pgServer = server as PgServer;
    await db.query(`CREATE TABLE agenda (
      id_cita SERIAL PRIMARY KEY,
      dni TEXT NOT NULL, nombres TEXT, apellidos TEXT, celular TEXT, servicio TEXT,
      inicio TIMESTAMP NOT NULL, estado TEXT NOT NULL, confirmacion TEXT, observaciones TEXT,
      modificado INTEGER NOT NULL
    )`);
    const realNow = Date.now();
    let ahead = 0;
    const r = await cloudRig({}, { now: () => Date.now() + ahead });
    try {
      await r.call('reminders.saveSettings', { siteId: null, quietHours: null });
      // The patient is already registered at the front desk with consent; the clinic's agenda names them by DNI.
      const patient = await r.patient('987 222 333');
      const startsAt = realNow + 2 * HOUR + 40 * 60_000;
      const local = (at: number) => DateTime.fromMillis(at, { zone: 'America/Lima' }).toFormat('yyyy-MM-dd HH:mm:ss');
      const insert = `INSERT INTO agenda (dni, nombres, apellidos, celular, servicio, inicio, estado, confirmacion, observaciones, modificado)
        VALUES ($1, $2, $3, $4, 'Laboratorio', $5, 'reservada', 'PENDIENTE', $6, $7)`;
      await db.query(insert, [patient.documentNumber, 'Ana', patient.lastNames, '987222333', local(startsAt), 'traer orden', 1]);
      // Another patient's appointment at the same hour: it must not be touched.
      await db.query(insert, ['40999888', 'Luis', 'Rojas', '987444555', local(startsAt), 'ayunas', 2]);
      const before = (await db.query('SELECT * FROM agenda ORDER BY id_cita')).rows as Record<string, unknown>[];

      await r.call('sources.clinicDb.set', {
        kind: 'appointments',
        config: {
          enabled: true,
          kind: 'appointments',
          connection: { driver: 'postgres', host: pgServer.host, port: pgServer.port, database: pgServer.database, user: pgServer.user, ssl: false },
          query: `SELECT id_cita AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
            celular AS phone, servicio AS service, inicio AS starts_at, estado AS status, modificado AS version
            FROM agenda WHERE modificado > :cursor ORDER BY modificado`,
          cursorColumn: 'version',
          initialCursor: 0,
          keyPrefix: 'agenda',
          timeZone: 'America/Lima',
          statusMap: { reservada: 'booked' },
          fileBaseDir: '',
          pollSeconds: 5,
          timeoutSeconds: 10,
          writeBack: { table: 'agenda', keyColumn: 'id_cita', column: 'confirmacion', sql: '', confirmedValue: 'SI', cancelledValue: 'NO' },
        },
      });
      const window = { from: realNow, to: realNow + 3 * HOUR };
      await expect.poll(async () => (await r.call('appointments.day', window)).appointments.length, { timeout: 15_000 }).toBe(2);
      const view = await r.call('appointments.day', window);
      const apt = view.appointments.find((a) => a.patientId === patient.id);
      expect(apt).toMatchObject({ startsAt: Math.floor(startsAt / 1000) * 1000, status: 'booked', serviceName: 'Laboratorio' });

      // The 2 h reminder is due 40 minutes after now: move the app's clock past it and let it go.
      ahead = 41 * 60_000;
      await r.call('sending.resume', {});
      await expect
        .poll(async () => (await r.call('appointments.day', window)).reminders.find((x) => x.appointmentId === apt?.id && x.ruleKey === '2h')?.state, { timeout: 10_000 })
        .toBe('sent');
      const sent = r.fake.accepted.at(-1);
      if (!sent) throw new Error('no reminder reached the fake Graph API');

      await r.fake.inbound({ from: '51987222333', text: 'Sí', contextId: sent.wamid });
      await r.fake.idle();
      await expect.poll(async () => (await r.call('appointments.day', window)).appointments.find((a) => a.id === apt?.id)?.status, { timeout: 10_000 }).toBe('confirmed');

      // Written back at once, not at the next poll: only `confirmacion`, only that row.
      await expect
        .poll(async () => ((await db.query('SELECT confirmacion FROM agenda WHERE id_cita = 1')).rows[0] as { confirmacion: string }).confirmacion, { timeout: 10_000 })
        .toBe('SI');
      const after = (await db.query('SELECT * FROM agenda ORDER BY id_cita')).rows as Record<string, unknown>[];
      expect(after[0]).toEqual({ ...before[0], confirmacion: 'SI' });
      expect(after[1]).toEqual(before[1]);
      const pending = await r.call('appointments.day', window);
      expect(pending.answers).toEqual([expect.objectContaining({ appointmentId: apt?.id, answer: 'confirmed', replyBody: 'Sí' })]);
    } finally {
      await r.close();
    }
  }, 60_000);
});
