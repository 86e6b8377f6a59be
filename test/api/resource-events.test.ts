import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaEvent, AvisaEvents, EventName, SetupInput } from '../../src/shared/api';
import type { AvisaCore } from '../../src/main/core/app';
import { samplePdf } from '../documents/pdf-tools';
import type { Caller } from '../../src/main/core/people/caller';
import { agendaSource, clinicAgenda } from '../helpers/clinic-agenda';
import { cloudRig } from '../helpers/cloud';
import { startCore } from '../helpers/core';
import { sendHl7 } from '../helpers/mllp';
import { days, forgeP12, issue, makeCa } from '../helpers/pki';
import { oneSiteClinic } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { siu } from '../sources/hl7-fixtures';

// Each list in the UI reloads on the events that change it and no other: the core names the resource that changed,
// whether a person changed it or a source (a PDF dropped in the shared folder) did.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** A core set up as `clinic` (one site, Cloud API unless told), and every event it announces from then on. */
async function watchedClinic(clinic: SetupInput = oneSiteClinic()) {
  const { core, call } = await startCore();
  cores.push(core);
  await call('setup.complete', clinic);
  const events: AvisaEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, call, events };
}

/** A professional who may hold a signature of her own, and her certificate as a .p12 with a given password. */
async function aProfessional(call: Awaited<ReturnType<typeof startCore>>['call']) {
  const now = new Date();
  const ca = makeCa('Avisa Test Root CA', now);
  const doctor = issue(ca, { cn: 'PAREDES VEGA LUCIA FIRMA', notBefore: days(now, -10), notAfter: days(now, 365) });
  const paredes = await call('people.create', {
    name: 'Dra. Lucía Paredes',
    documentNumber: '70000102',
    roles: ['professional'],
    registryNumber: 'CMP 045821',
    secretKind: 'pin',
    secret: '902211',
  });
  return { paredes, p12: (password: string) => forgeP12(doctor, [ca], password).toString('base64') };
}

/** The payloads of the `name` events, typed as that event's. */
const named = <N extends EventName>(events: AvisaEvent[], name: N): AvisaEvents[N][] =>
  events.filter((e) => e.name === name).map((e) => e.data as AvisaEvents[N]);

describe('the core names the resource that changed', () => {
  it('a new or edited patient → patients.changed; a campaign created or cancelled → campaigns.changed; a list read → nothing', async () => {
    const { call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo' }));

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
    const { core, call, events } = await watchedClinic();
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
    const { call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo', sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }] }));
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
    // It may have registered its patient or brought their consent: Pacientes and a consent history hear of it.
    expect(named(events, 'patients.changed')).toEqual([{ id: null }]);
  }, 30_000);

  it('an appointment read from the clinic database → appointments.changed with its id', async () => {
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const clinicFile = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, celular TEXT, inicio TEXT, estado TEXT, servicio TEXT)',
      'INSERT INTO citas VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [[1, '40111222', 'Rosa', 'Torres', '987111222', `${day} 10:00:00`, 'reservada', 'Laboratorio']],
    );

    const { call, events } = await watchedClinic();
    await call('sources.clinicDb.set', {
      kind: 'appointments',
      config: agendaSource(
        clinicFile,
        `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          celular AS phone, inicio AS starts_at, estado AS status, servicio AS service FROM citas WHERE id > :cursor ORDER BY id`,
        { statusMap: { reservada: 'booked' } },
      ),
    });
    await expect.poll(() => named(events, 'appointments.changed').length, { timeout: 10_000 }).toBe(1);
    const from = Date.now();
    const [taken] = (await call('appointments.day', { from, to: from + 5 * 86_400_000 })).appointments;
    expect(named(events, 'appointments.changed')).toEqual([{ id: taken?.id }]);
    expect(named(events, 'patients.changed')).toEqual([{ id: null }]);
  }, 30_000);

  it("a patient's own BAJA or ALTA → patients.changed (their consent changed); any other reply → not", async () => {
    const r = await cloudRig();
    cores.push(r.core);
    const ana = await r.patient();
    const events: AvisaEvent[] = [];
    r.core.subscribe((e) => events.push(e));
    const from = ana.phoneE164?.slice(1) ?? '';

    await r.fake.inbound({ from, text: 'Gracias' });
    await expect.poll(() => named(events, 'reply.received').length).toBe(1);
    expect(named(events, 'patients.changed')).toEqual([]);

    await r.fake.inbound({ from, text: 'BAJA' });
    await expect.poll(() => named(events, 'patients.changed')).toEqual([{ id: null }]);
    expect((await r.call('patients.list', { search: ana.documentNumber })).rows[0]?.consent).toBe('opted_out');

    await r.fake.inbound({ from, text: 'ALTA' });
    await expect.poll(() => named(events, 'patients.changed').length).toBe(2);
    await r.fake.close();
  }, 30_000);
});

describe('the core names what Ajustes shows that changed by itself', () => {
  it('an HL7 message refused → hl7Refused.changed with its id; processed again → the same, and appointments.changed once taken', async () => {
    const { call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo', sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }] }));
    await call('settings.update', { hl7: { enabled: true, port: 0 } });
    const port = (await call('app.status', {})).hl7Port ?? 0;

    // A site the clinic's system names that Avisa does not know: refused (AE) and kept for review.
    const ymd = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const ack = await sendHl7(port, siu('S12', { start: `${ymd}150000` }).replace('CONS3^^^Sede Miraflores', 'CONS3^^^SUC-NORTE'));
    expect(ack.split('\r').find((segment) => segment.startsWith('MSA'))).toMatch(/^MSA\|AE\|/);
    const [kept] = await call('hl7.refused', {});
    expect(kept).toBeDefined();
    expect(named(events, 'hl7Refused.changed')).toEqual([{ id: kept?.id }]);
    expect(named(events, 'appointments.changed')).toEqual([]);

    events.length = 0;
    await call('hl7.refused', {});
    expect(named(events, 'hl7Refused.changed')).toEqual([]);

    const [site] = await call('sites.list', {});
    await call('settings.update', { hl7: { siteCodes: [{ code: 'SUC-NORTE', siteId: site?.id ?? 0 }] } });
    expect(await call('hl7.retry', { id: kept?.id ?? 0 })).toEqual({ taken: true, reason: null });
    expect(named(events, 'hl7Refused.changed')).toEqual([{ id: kept?.id }]);
    // Announced once, by the receiver that took it, with the appointment's id.
    expect(named(events, 'appointments.changed')).toHaveLength(1);
    expect(named(events, 'appointments.changed')[0]?.id).toEqual(expect.any(Number));
  }, 30_000);

  it('a clinic-database appointment refused → clinicDbRefused.changed, its poll set up → jobs.changed; taken from the list → clinicDbRefused.changed', async () => {
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const clinicFile = clinicAgenda(
      'CREATE TABLE citas (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, inicio TEXT, sede TEXT)',
      `INSERT INTO citas VALUES (?, ?, ?, ?, ?, ?)`,
      [[1, '40333444', 'Luis', 'Rojas', `${day} 09:30:00`, 'NORTE-2']],
    );
    const { call, events } = await watchedClinic();
    await call('sources.clinicDb.set', {
      kind: 'appointments',
      config: agendaSource(
        clinicFile,
        `SELECT id AS appointment_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
          '987333444' AS phone, inicio AS starts_at, 'booked' AS status, sede AS site FROM citas WHERE id > :cursor ORDER BY id`,
      ),
    });
    await expect.poll(() => named(events, 'clinicDbRefused.changed').length, { timeout: 15_000 }).toBe(1);
    const [refused] = await call('clinicDb.refused', {});
    expect(refused).toMatchObject({ appointmentId: '1', code: 'unknown_site' });
    await expect.poll(() => named(events, 'jobs.changed'), { timeout: 15_000 }).toContainEqual({ name: 'clinicDb.poll appointments' });
    expect(named(events, 'appointments.changed')).toEqual([]);

    events.length = 0;
    const [site] = await call('sites.list', {});
    await call('clinicDb.setSiteCodes', { siteCodes: [{ code: 'NORTE-2', siteId: site?.id ?? 0 }] });
    expect(await call('clinicDb.retry', { id: refused?.id ?? 0 })).toEqual({ taken: true, reason: null });
    expect(named(events, 'clinicDbRefused.changed')).toEqual([{ id: refused?.id }]);
    expect(named(events, 'appointments.changed')).toEqual([{ id: refused?.id }]);
  }, 30_000);

  it("the backups' folder set → backups.changed and jobs.changed (the nightly job); a backup taken → backups.changed with its run", async () => {
    const { call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo' }));

    await call('backup.setConfig', { folder: tempDir('avisa-backups-'), time: '21:30', keepDaily: 14, keepWeekly: 8, encrypt: false });
    expect(named(events, 'backups.changed')).toEqual([{ id: null }]);
    // The whole calendar is set again: told once (several jobs, so no one name), not once per job.
    await expect.poll(() => named(events, 'jobs.changed')).toContainEqual({ name: null });
    expect(named(events, 'jobs.changed').filter((e) => e.name === 'backup.nightly')).toEqual([]);
    expect((await call('jobs.list', {})).map((j) => j.name)).toContain('backup.nightly');

    events.length = 0;
    await call('backup.runNow', {});
    const [run] = await call('backup.history', {});
    expect(run?.ok).toBe(true);
    expect(named(events, 'backups.changed')).toHaveLength(1);
    expect(named(events, 'backups.changed')[0]?.id).toEqual(expect.any(Number));
    expect(await call('backup.list', {})).toHaveLength(1);

    events.length = 0;
    await call('backup.list', {});
    await call('jobs.list', {});
    expect(named(events, 'backups.changed')).toEqual([]);
  }, 30_000);

  it('webhook reception configured → reception.changed; a webhook refused or taken → reception.changed', async () => {
    const r = await cloudRig();
    cores.push(r.core);
    const events: AvisaEvent[] = [];
    r.core.subscribe((e) => events.push(e));

    await r.call('reception.configure', { mode: 'none' });
    expect(named(events, 'reception.changed').length).toBeGreaterThan(0);

    events.length = 0;
    expect(await r.fake.postWebhook({ object: 'whatsapp_business_account', entry: [] }, 'forged')).toBe(401);
    await expect.poll(() => named(events, 'reception.changed').length).toBeGreaterThan(0);
    expect((await r.call('reception.view', {})).refusedLast24h).toBe(1);

    events.length = 0;
    expect(await r.fake.postWebhook({ object: 'whatsapp_business_account', entry: [] })).toBe(200);
    await expect.poll(() => named(events, 'reception.changed').length).toBeGreaterThan(0);
    expect((await r.call('reception.view', {})).lastWebhookAt).not.toBeNull();

    events.length = 0;
    await r.call('reception.view', {});
    expect(named(events, 'reception.changed')).toEqual([]);
  }, 30_000);

  it("a professional's credential linked or unlinked → professionalCredentials.changed with the person", async () => {
    const { core, call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo' }));
    const { paredes, p12 } = await aProfessional(call);
    events.length = 0;

    await call('professional.linkP12', { personId: paredes.id, base64: p12('clave'), password: 'clave' });
    await call('professional.credentials', {});
    await call('professional.unlink', { personId: paredes.id });
    expect(named(events, 'professionalCredentials.changed')).toEqual([{ id: paredes.id }, { id: paredes.id }]);

    // A wrong password links nothing and announces nothing.
    events.length = 0;
    const refused = await core.invoke('professional.linkP12', { personId: paredes.id, base64: p12('clave'), password: 'otra' });
    expect(refused.ok).toBe(false);
    expect(named(events, 'professionalCredentials.changed')).toEqual([]);
  }, 30_000);

  it("a professional's credential kept open closes when her session ends → professionalCredentials.changed with her", async () => {
    const { core, call, events } = await watchedClinic(oneSiteClinic({ channel: 'demo' }));
    await call('settings.update', { signing: { keepProfessionalSession: true } });
    const { paredes, p12 } = await aProfessional(call);
    await call('professional.linkP12', { personId: paredes.id, base64: p12('clave'), password: 'clave' });
    const desktop: Caller = { via: 'desktop' };
    const asDesktop = async (name: 'session.unlock' | 'professional.signMine' | 'session.lock', args: object) => {
      const response = await core.invoke(name, args as never, desktop);
      if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
      return response.result;
    };
    // She types her .p12's password once: it stays open for her session.
    await asDesktop('session.unlock', { personId: paredes.id, secret: '902211' });
    expect(await asDesktop('professional.signMine', { secret: 'clave' })).toMatchObject({ ok: true });
    expect((await call('professional.credentials', {}))[0]?.open).toBe(true);

    events.length = 0;
    await asDesktop('session.lock', {});
    expect((await call('professional.credentials', {}))[0]?.open).toBe(false);
    expect(named(events, 'professionalCredentials.changed')).toEqual([{ id: paredes.id }]);
  }, 30_000);
});
