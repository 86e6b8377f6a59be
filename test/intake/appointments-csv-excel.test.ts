import { Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAppointmentsCsv, type CsvContext } from '../../src/main/core/intake/appointments-csv';
import { previewAppointmentsCsv } from '../../src/main/core/intake/appointments-csv-import';
import { listServices, listSites } from '../../src/main/core/store/clinic-repo';
import { appointmentsCsvTemplate } from '../../src/renderer/src/pages/appointments/csv-template';
import { decodeCsv } from '../../src/renderer/src/pages/appointments/decode-csv';
import { clinic } from '../scheduler/clinic';

// CSV files as Excel writes them, decoded as the Citas → Importar CSV page decodes the chosen file, then checked by
// the core: "CSV UTF-8" (BOM), "CSV (delimitado por punto y coma)" (Windows-1252) and "Texto Unicode" (UTF-16LE, tabs).

const rows = [
  ['Nº Documento', 'Nombres', 'Apellidos', 'Celular', 'Servicio', 'Fecha', 'Hora'],
  ['40111222', 'Rosa', 'Muñoz Peña', '987654321', 'Cardiología', '05/03/2026', '10:00'],
];

const bytesOf = (buffer: Buffer): ArrayBuffer => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
const excelUtf8 = (sep: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.map((r) => r.join(sep)).join('\r\n') + '\r\n', 'utf8')]);
// Every character here is in Latin-1, where Windows-1252 agrees with it.
const excel1252 = () => Buffer.from(rows.map((r) => r.join(';')).join('\r\n') + '\r\n', 'latin1');
const excelUnicode = () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.map((r) => r.join('\t')).join('\r\n') + '\r\n', 'utf16le')]);

function setUp() {
  const c = clinic({ now: '2026-03-02T08:00' });
  return { ...c, ctx: { at: c.now(), language: 'es' as const } };
}

afterEach(() => {
  Settings.now = () => Date.now();
});

describe('appointments CSV as Excel saves it', () => {
  for (const [name, bytes] of [
    ['CSV UTF-8 (with BOM)', excelUtf8(';')],
    ['CSV (delimitado por punto y coma), Windows-1252', excel1252()],
    ['Texto Unicode (UTF-16LE with BOM, tabs)', excelUnicode()],
  ] as const) {
    it(`reads ${name} with a "Nº Documento" column`, () => {
      const c = setUp();
      const preview = previewAppointmentsCsv(c.db, decodeCsv(bytesOf(bytes)), c.ctx);
      expect(preview.fileError).toBeNull();
      expect(preview.rows).toMatchObject([
        { documentNumber: '40111222', patientName: 'Rosa Muñoz Peña', serviceName: 'Cardiología', errors: [] },
      ]);
    });
  }

  it('maps "N° Documento", "Nro. Documento" and "DNI" to the document number', () => {
    const c = setUp();
    for (const header of ['N° Documento', 'Nro. Documento', 'DNI', 'nº de documento']) {
      const text = `${header};Nombres;Apellidos;Celular;Fecha;Hora\r\n40111222;Rosa;Quispe;987654321;05/03/2026;10:00\r\n`;
      const preview = previewAppointmentsCsv(c.db, text, c.ctx);
      expect(preview.fileError, header).toBeNull();
      expect(preview.rows[0]?.documentNumber, header).toBe('40111222');
    }
  });

  it('a UTF-16 file read as bytes of another code page is refused with what to do, not "Falta la columna"', () => {
    const c = setUp();
    const misread = new TextDecoder('windows-1252').decode(excelUnicode());
    const preview = previewAppointmentsCsv(c.db, misread, c.ctx);
    expect(preview.fileError).toContain('guárdelo como CSV UTF-8 o CSV (delimitado por punto y coma)');
    expect(preview.fileError).not.toContain('Falta la columna');
    // UTF-16 without a BOM (some exports) is still recognised by its NUL bytes.
    const noBom = Buffer.from(rows.map((r) => r.join('\t')).join('\r\n'), 'utf16le');
    expect(previewAppointmentsCsv(c.db, decodeCsv(bytesOf(noBom)), c.ctx).fileError).toBeNull();
  });

  it('the downloadable template is read back with every row ready to import', () => {
    const c = setUp();
    const text = appointmentsCsvTemplate(listSites(c.db), listServices(c.db), 'es', new Date(c.now()));
    expect(text.startsWith('\uFEFFTipo documento;Nº Documento;')).toBe(true);
    const preview = previewAppointmentsCsv(c.db, decodeCsv(bytesOf(Buffer.from(text, 'utf8'))), c.ctx);
    expect(preview.fileError).toBeNull();
    expect(preview.rows.length).toBeGreaterThan(0);
    expect(preview.rows.every((r) => r.errors.length === 0 && r.action === 'create')).toBe(true);
  });
});

describe('appointments CSV: local times that happen twice or never', () => {
  const santiago: CsvContext = {
    sites: [{ id: 1, name: 'Sede Santiago', country: 'CL', timeZone: 'America/Santiago' }],
    services: [{ id: 1, name: 'Consulta' }],
    language: 'es',
    now: Date.parse('2027-03-01T00:00:00Z'),
    knownPatient: () => null,
  };
  const csv = 'documento;nombres;apellidos;celular;fecha;hora\r\n1;A;B;+56961234567;03/04/2027;23:30\r\n';

  it('a repeated hour is the earlier occurrence, with a warning in the preview, whatever season the process started in', () => {
    const read = [Date.parse('2026-12-15T12:00:00Z'), Date.parse('2027-06-15T12:00:00Z')].map((start) => {
      Settings.now = () => start;
      return parseAppointmentsCsv(csv, santiago).rows[0];
    });
    expect(read[0]?.startsAt).toBe(Date.parse('2027-04-04T02:30:00Z'));
    expect(read[1]?.startsAt).toBe(read[0]?.startsAt);
    expect(read[0]?.warnings).toContain(
      'La hora 03/04/2027 23:30 ocurre dos veces en America/Santiago (el reloj se atrasa una hora ese día): se tomó la primera.',
    );
  });

  it('a skipped hour is refused with the reason', () => {
    const row = parseAppointmentsCsv(csv.replace('03/04/2027;23:30', '05/09/2027;00:30'), santiago).rows[0];
    expect(row?.startsAt).toBeNull();
    expect(row?.errors).toEqual([
      {
        field: 'time',
        reason: 'La hora 05/09/2027 00:30 no existe en America/Santiago: ese día el reloj se adelanta una hora. Corrija la hora de la cita.',
      },
    ]);
  });
});
