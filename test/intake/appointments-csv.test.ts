import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { startCore } from '../helpers/core';
import { detectDelimiter, parseAppointmentsCsv } from '../../src/main/core/intake/appointments-csv';
import { importAppointmentsCsv, previewAppointmentsCsv } from '../../src/main/core/intake/appointments-csv-import';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { findPatientByDocument } from '../../src/main/core/store/patients-repo';
import { clinic } from '../scheduler/clinic';
import { oneSiteClinic } from '../helpers/fixtures';

// Lima is UTC−5 all year: 10:00 there is 15:00 UTC.
const lima = (iso: string) => Date.parse(`${iso}:00-05:00`);

function setUp() {
  const c = clinic({ now: '2026-03-02T08:00' });
  insertSite(c.db, { name: 'Sede San Isidro', country: 'PE', timeZone: 'America/Lima' }, 0);
  insertService(c.db, 'Laboratorio', 0);
  const count = (sql: string) => (c.db.prepare(sql).get() as { n: number }).n;
  const snapshot = () => ({
    appointments: c.db.prepare('SELECT * FROM appointments ORDER BY id').all(),
    patients: c.db.prepare('SELECT * FROM patients ORDER BY id').all(),
    messages: c.db.prepare('SELECT * FROM messages ORDER BY id').all(),
    events: count('SELECT COUNT(*) AS n FROM message_events'),
  });
  return { ...c, count, snapshot, ctx: { at: c.now(), language: 'es' as const } };
}

const excelSpanish =
  '\uFEFFDocumento;Nombres;Apellidos;Celular;Sede;Servicio;Fecha;Hora;ID externo;Consentimiento\r\n' +
  '40111222;Rosa;Mamani Torres;987 654 321;Sede Miraflores;Cardiología;05/03/2026;10:00;A-1;sí\r\n' +
  '"40.333.444";"María José";"Pérez; de la Cruz";"987111222";sede san isidro;LABORATORIO;2026-03-06;3:30 p. m.;A-2;no\r\n';

describe('appointments CSV: reading the file', () => {
  it('reads what Spanish-locale Excel writes: BOM, CRLF, ";" and quoted fields holding ";"', () => {
    const c = setUp();
    expect(detectDelimiter(excelSpanish)).toBe(';');
    const preview = previewAppointmentsCsv(c.db, excelSpanish, c.ctx);
    expect(preview.fileError).toBeNull();
    expect(preview.columns[0]).toBe('Documento'); // the BOM is not part of the first header
    expect(preview.invalid).toBe(0);
    expect(preview.rows).toHaveLength(2);
    const [rosa, maria] = preview.rows;
    expect(rosa).toMatchObject({
      line: 2,
      documentNumber: '40111222',
      patientName: 'Rosa Mamani Torres',
      phone: '+51987654321',
      siteName: 'Sede Miraflores',
      serviceName: 'Cardiología',
      startsAt: lima('2026-03-05T10:00'),
      localWhen: '05/03/2026 10:00',
      externalId: 'A-1',
      errors: [],
      action: 'create',
    });
    // Dots in the document, ';' inside quotes, case-insensitive site and service, 12-hour clock "p. m.".
    expect(maria).toMatchObject({
      line: 3,
      documentNumber: '40333444',
      patientName: 'María José Pérez; de la Cruz',
      siteName: 'Sede San Isidro',
      serviceName: 'Laboratorio',
      startsAt: lima('2026-03-06T15:30'),
      errors: [],
    });
  });

  it('reads "," files with LF and a single date-time column, and tab-separated ones', () => {
    const c = setUp();
    const comma = 'dni,nombre,apellido,telefono,sede,servicio,fecha_hora\n40111222,Rosa,Mamani,987654321,Sede Miraflores,Laboratorio,2026-03-05 09:15\n';
    const tab = 'documento\tnombres\tapellidos\tcelular\tsede\tservicio\tfecha\thora\n40111222\tRosa\tMamani\t987654321\tSede Miraflores\tLaboratorio\t5/3/26\t09:15\n';
    for (const csv of [comma, tab]) {
      const preview = previewAppointmentsCsv(c.db, csv, c.ctx);
      expect(preview.fileError).toBeNull();
      expect(preview.rows[0]?.errors).toEqual([]);
      expect(preview.rows[0]?.startsAt).toBe(lima('2026-03-05T09:15'));
    }
  });

  it('shows every bad row with its reason in Spanish, never dropping one', () => {
    const c = setUp();
    const csv = [
      'documento;nombres;apellidos;celular;sede;servicio;fecha;hora;estado',
      '40111222;Rosa;Mamani;987654321;Sede Miraflores;Cardiología;31/02/2026;10:00;', // no 31 February
      '40222333;Luis;Quispe;987654322;Sede Lima Norte;Cardiología;05/03/2026;10:00;', // unknown site
      '40333444;Ana;Rojas;987654323;Sede Miraflores;Dermatología;05/03/2026;10:00;', // unknown service
      '40444555;Juan;Soto;01 4123456;Sede Miraflores;Cardiología;05/03/2026;10:00;', // a Lima landline
      '40555666;Eva;Lara;12345;Sede Miraflores;Cardiología;05/03/2026;25:61;reservada', // bad phone and time
      '40666777;;;987654324;Sede Miraflores;Cardiología;05/03/2026;10:00;', // new patient without names
      '40777888;Iris;Vega;987654325;Sede Miraflores;Cardiología;05/03/2026;10:00;quizás', // unknown status
      '40888999;Otto;Paz;987654326;Sede Miraflores;Cardiología;05/03/2026;11:00;confirmada', // fine
    ].join('\n');
    const preview = previewAppointmentsCsv(c.db, csv, c.ctx);
    expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(preview.valid).toBe(1);
    expect(preview.invalid).toBe(7);
    const reasons = preview.rows.map((r) => r.errors.map((e) => `${e.field}: ${e.reason}`));
    expect(reasons[0]).toEqual(['date: Fecha no válida: «31/02/2026» (use DD/MM/AAAA o AAAA-MM-DD).']);
    expect(reasons[1]?.[0]).toContain('Sede desconocida: «Sede Lima Norte»');
    expect(reasons[1]?.[0]).toContain('Sede Miraflores, Sede San Isidro');
    expect(reasons[2]?.[0]).toContain('Servicio desconocido: «Dermatología»');
    expect(reasons[3]).toEqual(['phone: Celular no válido: «01 4123456». Parece un teléfono fijo: WhatsApp necesita un celular.']);
    expect(reasons[4]).toEqual([
      'time: Hora no válida: «25:61» (use HH:MM, p. ej. 09:30).',
      'phone: Celular no válido: «12345». El número no es válido.',
    ]);
    expect(reasons[5]?.[0]).toContain('Paciente nuevo sin nombres');
    expect(reasons[6]?.[0]).toContain('Estado desconocido: «quizás»');
    expect(preview.rows[7]).toMatchObject({ status: 'confirmed', errors: [], action: 'create' });

    // Importing takes the good row only; the bad ones come back with the same reasons.
    const result = importAppointmentsCsv(c.db, c.planner, csv, c.ctx);
    expect(result).toMatchObject({ created: 1, updated: 0, unchanged: 0, invalid: 7, patientsCreated: 1 });
    expect(result.rows[0]?.errors[0]?.reason).toContain('31/02/2026');
    expect(c.count('SELECT COUNT(*) AS n FROM appointments')).toBe(1);
  });

  it('refuses a file without the columns it needs, naming them', () => {
    const c = setUp();
    const preview = previewAppointmentsCsv(c.db, 'nombres;apellidos\nRosa;Mamani\n', c.ctx);
    expect(preview.fileError).toBe('Falta la columna «documento», «fecha», «hora», «sede», «servicio».');
    expect(preview.rows).toEqual([]);
    expect(previewAppointmentsCsv(c.db, '', c.ctx).fileError).toBe('El archivo está vacío.');
  });

  it('flags a row repeated in the same file and a wall-clock time skipped by DST', () => {
    const santiago = parseAppointmentsCsv(
      'documento;nombres;apellidos;celular;fecha;hora\n1;A;B;+56961234567;2026-09-06;00:30\n1;A;B;+56961234567;2026-09-07;10:00\n1;A;B;+56961234567;2026-09-07;10:00\n',
      {
        sites: [{ id: 1, name: 'Sede Santiago', country: 'CL', timeZone: 'America/Santiago' }],
        services: [{ id: 1, name: 'Consulta' }],
        language: 'es',
        now: Date.parse('2026-09-01T00:00:00Z'),
        knownPatient: () => null,
      },
    );
    // Chile springs forward at 00:00 on the first Sunday of September: 00:30 does not exist.
    expect(santiago.rows[0]?.errors[0]?.reason).toContain('no existe en America/Santiago: ese día el reloj se adelanta una hora');
    expect(santiago.rows[1]?.errors).toEqual([]);
    expect(santiago.rows[2]?.errors[0]?.reason).toBe('Repite la cita de la fila 3: se importa solo una vez.');
  });
});

describe('appointments CSV: importing', () => {
  it('matches or registers patients, upserts and plans appointments; the same file again changes nothing', () => {
    const c = setUp();
    const first = importAppointmentsCsv(c.db, c.planner, excelSpanish, c.ctx);
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, invalid: 0, patientsCreated: 2 });
    const rosa = findPatientByDocument(c.db, 'DNI', '40111222');
    // Consent from the file, with its provenance; "no" leaves the other patient without it.
    expect(rosa).toMatchObject({ firstNames: 'Rosa', phoneE164: '+51987654321', consent: 'opted_in', consentSource: 'import' });
    expect(findPatientByDocument(c.db, 'DNI', '40333444')?.consent).toBe('unknown');
    const rosaAppointment = c.db.prepare("SELECT id FROM appointments WHERE source_key = 'csv:A-1'").get() as { id: number };
    // Planned at once: 24 h and 2 h reminders queued for the patient who agreed.
    expect(c.messages(rosaAppointment.id).map((m) => `${m.idempotencyKey}:${m.state}`)).toEqual([
      `reminder:${rosaAppointment.id}:24h:queued`,
      `reminder:${rosaAppointment.id}:2h:queued`,
    ]);

    const before = c.snapshot();
    c.setNow(c.now() + 60_000);
    const again = importAppointmentsCsv(c.db, c.planner, excelSpanish, { ...c.ctx, at: c.now() });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, patientsCreated: 0 });
    expect(c.snapshot()).toEqual(before);

    // The clinic moves A-1 to 11:00: the same appointment, its reminders moved.
    const moved = excelSpanish.replace('05/03/2026;10:00', '05/03/2026;11:00');
    expect(previewAppointmentsCsv(c.db, moved, c.ctx).rows.map((r) => r.action)).toEqual(['update', 'unchanged']);
    const third = importAppointmentsCsv(c.db, c.planner, moved, { ...c.ctx, at: c.now() });
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(c.count('SELECT COUNT(*) AS n FROM appointments')).toBe(2);
    const reminders = c.messages(rosaAppointment.id);
    expect(reminders.map((m) => m.notBefore)).toEqual([lima('2026-03-04T11:00'), lima('2026-03-05T09:00')]);
  });

  it("keeps a patient's confirmation when a re-import has no status", () => {
    const c = setUp();
    importAppointmentsCsv(c.db, c.planner, excelSpanish, c.ctx);
    c.db.prepare("UPDATE appointments SET status = 'confirmed' WHERE source_key = 'csv:A-1'").run();
    const again = importAppointmentsCsv(c.db, c.planner, excelSpanish, c.ctx);
    expect(again.unchanged).toBe(2);
    const row = c.db.prepare("SELECT status FROM appointments WHERE source_key = 'csv:A-1'").get() as { status: string };
    expect(row.status).toBe('confirmed');
  });
});

describe('appointments CSV through the API', () => {
  it('keeps the rejected rows and their reasons in the audit trail', async () => {
    const { core, call, dataDir } = await startCore();
    try {
      await call('setup.complete', oneSiteClinic());
      const result = await call('appointments.csvImport', {
        csv: 'documento;nombres;apellidos;celular;fecha;hora\n40111222;Rosa;Mamani;987654321;01/01/2030;10:00\n40222333;Luis;Soto;12345;01/01/2030;99:00\n',
      });
      expect(result).toMatchObject({ created: 1, invalid: 1 });
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const row = db.prepare("SELECT data FROM audit_events WHERE action = 'appointments.csv_imported'").get() as { data: string };
      db.close();
      expect(JSON.parse(row.data)).toMatchObject({
        created: 1,
        invalid: 1,
        rejected: [{ line: 3, document: '40222333', reasons: [expect.stringContaining('Hora no válida'), expect.stringContaining('Celular no válido')] }],
      });
    } finally {
      await core.stop();
    }
  });
});
