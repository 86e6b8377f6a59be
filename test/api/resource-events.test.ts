import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaEvent } from '../../src/shared/api';
import type { AvisaCore } from '../../src/main/core/app';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { oneSiteClinic } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { siu } from '../sources/hl7-fixtures';

// Each list in the UI reloads on the events that change it and no other: the core names the resource that changed,
// whether a person changed it or a source (a PDF dropped in the shared folder) did.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** Sends one MLLP frame and resolves with the ACK's text. */
function sendHl7(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'latin1'), Buffer.from([0x1c, 0x0d])])));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.includes(0x1c)) {
        socket.end();
        resolve(data.subarray(1, data.indexOf(0x1c)).toString('latin1'));
      }
    });
    socket.on('error', reject);
  });
}

const named = (events: AvisaEvent[], name: AvisaEvent['name']) => events.filter((e) => e.name === name).map((e) => e.data);

describe('the core names the resource that changed', () => {
  it('a new or edited patient → patients.changed; a campaign created or cancelled → campaigns.changed; a list read → nothing', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic({ channel: 'demo' }));
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));

    const rosa = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    await call('patients.update', { id: rosa.id, email: 'rosa@correo.test' });
    expect(named(events, 'patients.changed')).toEqual([{ id: null }, { id: rosa.id }]);
    expect(named(events, 'campaigns.changed')).toEqual([]);
    expect(named(events, 'results.changed')).toEqual([]);

    events.length = 0;
    await call('patients.list', {});
    await call('campaigns.list', {});
    expect(events.filter((e) => e.name.endsWith('.changed') && e.name !== 'status.changed')).toEqual([]);

    const campaign = await call('campaigns.create', { name: 'Chequeo', segment: {}, templateName: null, templateParams: [], body: 'Hola {nombre}' });
    await call('campaigns.cancel', { id: campaign.id });
    expect(named(events, 'campaigns.changed')).toEqual([{ id: null }, { id: campaign.id }]);
    expect(named(events, 'patients.changed')).toEqual([]);
  });

  it('a PDF dropped in the shared folder → results.changed (no list has to poll for it), and a refused call announces nothing', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic());
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));
    const folder = tempDir('avisa-share-');
    await call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    // Nobody with this document number: the result waits in "Por revisar", and the lists hear of it.
    writeFileSync(join(folder, '40000001_ACC1_resultado.pdf'), await samplePdf());
    await expect.poll(() => named(events, 'results.changed').length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [item] = (await call('results.review', {})).rows;
    expect(item).toBeDefined();
    expect(named(events, 'results.changed')).toContainEqual({ id: item?.id });

    events.length = 0;
    const refused = await core.invoke('patients.update', { id: 999_999, email: 'nadie@correo.test' });
    expect(refused.ok).toBe(false);
    expect(named(events, 'patients.changed')).toEqual([]);
  });

  it('an appointment booked, marked, imported or received by HL7 → appointments.changed; a day read → nothing', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic({ channel: 'demo', sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }] }));
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));
    const [site] = await call('sites.list', {});
    const [service] = await call('services.list', {});
    const rosa = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });

    events.length = 0;
    const startsAt = Date.now() + 2 * 86_400_000;
    const booked = await call('appointments.create', { patientId: rosa.id, siteId: site?.id ?? 0, serviceId: service?.id ?? 0, startsAt });
    await call('appointments.setStatus', { id: booked.id, status: 'attended' });
    expect(named(events, 'appointments.changed')).toEqual([{ id: null }, { id: booked.id }]);
    expect(named(events, 'patients.changed')).toEqual([]);

    events.length = 0;
    await call('appointments.board', { day: new Date(startsAt).toISOString().slice(0, 10) });
    await call('replies.details', {});
    expect(named(events, 'appointments.changed')).toEqual([]);

    // The import registers the patient it does not know: both lists hear of it.
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await call('appointments.csvImport', {
      csv: `documento;nombres;apellidos;celular;sede;servicio;fecha;hora;consentimiento\n40111222;Luis;Quispe;987654322;Sede Miraflores;Laboratorio;${day};10:00;sí\n`,
    });
    expect(named(events, 'appointments.changed')).toEqual([{ id: null }]);
    expect(named(events, 'patients.changed')).toEqual([{ id: null }]);

    // An SIU from the clinic's system comes through no call: the HL7 receiver announces it.
    events.length = 0;
    await call('settings.update', { hl7: { enabled: true, port: 0 } });
    const port = (await call('app.status', {})).hl7Port ?? 0;
    const ymd = day.replaceAll('-', '');
    const ack = await sendHl7(port, siu('S12', { start: `${ymd}150000` }));
    expect(ack.split('\r').find((segment) => segment.startsWith('MSA'))).toMatch(/^MSA\|AA\|/);
    const received = (await call('appointments.day', { from: Date.now(), to: Date.now() + 5 * 86_400_000 })).appointments.find(
      (a) => a.serviceName === 'Cardiología',
    );
    expect(received).toBeDefined();
    expect(named(events, 'appointments.changed')).toEqual([{ id: received?.id }]);
  }, 30_000);

  it('an appointment read from the clinic database → appointments.changed with its id', async () => {
    const clinicFile = join(tempDir('clinic-db-'), 'clinica.sqlite');
    const clinic = new Database(clinicFile);
    clinic.exec('CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, celular TEXT, inicio TEXT, estado TEXT, servicio TEXT)');
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    clinic.prepare('INSERT INTO citas VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(1, '40111222', 'Rosa', 'Torres', '987111222', `${day} 10:00:00`, 'reservada', 'Laboratorio');
    clinic.close();

    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic());
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));
    await call('sources.clinicDb.set', {
      kind: 'appointments',
      config: {
        enabled: true,
        kind: 'appointments',
        connection: { driver: 'sqlite', file: clinicFile },
        query: `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          celular AS phone, inicio AS starts_at, estado AS status, servicio AS service FROM citas WHERE id > :cursor ORDER BY id`,
        cursorColumn: 'appointment_id',
        initialCursor: 0,
        keyPrefix: 'clinic-db',
        timeZone: 'America/Lima',
        statusMap: { reservada: 'booked' },
        fileBaseDir: '',
        pollSeconds: 5,
        timeoutSeconds: 10,
        writeBack: null,
      },
    });
    await expect.poll(() => named(events, 'appointments.changed').length, { timeout: 10_000 }).toBe(1);
    const from = Date.now();
    const [taken] = (await call('appointments.day', { from, to: from + 5 * 86_400_000 })).appointments;
    expect(named(events, 'appointments.changed')).toEqual([{ id: taken?.id }]);
  }, 30_000);
});
