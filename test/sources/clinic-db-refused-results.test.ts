import { describe, expect, it } from 'vitest';
import { clinicDatabaseFile, editClinicDatabase } from '../helpers/clinic-agenda';
import { labClinic, resultsShare, resultsSource } from '../helpers/clinic-results';

// Result rows of the clinic's database that cannot be read as results (no file named, an approval date that is not a
// date) were only a log line: the patient never got the result and nobody at the clinic knew. They are kept in the
// clinic-database list of Ajustes, with a reason a receptionist understands and the technical detail apart, and leave
// it when the clinic fixes the row.

const QUERY = `SELECT id AS result_id, dni AS document_number, nombres AS first_names, apellidos AS last_names,
  celular AS phone, aprobado AS approved_at, ruta AS file_path, v FROM resultados WHERE v > :cursor ORDER BY v`;

describe('clinic-database result rows Avisa cannot read', () => {
  it('are listed with a plain reason and the technical detail, and leave the list once fixed', async () => {
    const share = await resultsShare();
    // 11: no file named; 12: "ayer" is not a date; 13: a phone that is no phone; 14: a file not in the folder;
    // 15: a good row (its patient has not consented yet).
    const file = clinicDatabaseFile(
      'clinica.sqlite',
      'CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, nombres TEXT, apellidos TEXT, celular TEXT, aprobado TEXT, ruta TEXT, v INTEGER)',
      'INSERT INTO resultados VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        [11, '40111222', 'Rosa', 'Torres', '987111222', '2026-11-20 10:00:00', null, 1],
        [12, '40333444', 'Luis', 'Rojas', '987333444', 'ayer', 'hemograma.pdf', 2],
        [13, '40555666', 'Elena', 'Vega', 'llamar a casa', '2026-11-20 10:00:00', 'hemograma.pdf', 3],
        [14, '40777888', 'Pedro', 'Salas', '987777888', '2026-11-20 10:00:00', 'tarde.pdf', 4],
        [15, '40999000', 'Ana', 'Quispe', '987999000', '2026-11-20 10:00:00', 'hemograma.pdf', 5],
      ],
    );

    const { call } = await labClinic();
    const config = resultsSource({ driver: 'sqlite', file }, share, { query: QUERY, cursorColumn: 'v', trustedResults: true });
    await call('sources.clinicDb.set', { kind: 'results', config });

    await expect.poll(async () => (await call('clinicDb.refused', {})).map((r) => r.appointmentId).sort(), { timeout: 20_000 }).toEqual([
      '11',
      '12',
    ]);
    const refused = Object.fromEntries((await call('clinicDb.refused', {})).map((r) => [r.appointmentId, r]));
    // Plain words for the desk; the column and the raw value for IT, apart.
    expect(refused['11']).toMatchObject({ kind: 'result', code: 'missing_file', detail: expect.stringMatching(/file_path/) });
    expect(refused['11']?.reason).toBe('La fila del resultado no indica su archivo PDF.');
    expect(refused['12']).toMatchObject({ kind: 'result', code: 'bad_approved_at', detail: 'approved_at = "ayer"' });
    expect(refused['12']?.reason).toMatch(/fecha de aprobación/);
    expect(refused['12']?.reason).not.toMatch(/approved_at/);
    await call('settings.update', { language: 'en' });
    expect((await call('clinicDb.refused', {})).find((r) => r.appointmentId === '12')?.reason).toMatch(/approval date/);
    await call('settings.update', { language: 'es' });

    // A row that was read but cannot go yet (a phone that is no phone, a file not in the folder) waits in Por revisar
    // with its fix, as every document that cannot go does; the good row goes on.
    await expect.poll(async () => (await call('results.review', {})).total, { timeout: 20_000 }).toBe(3);
    const review = (await call('results.review', {})).rows;
    expect(review.map((r) => r.code).sort()).toEqual(['bad_phone', 'no_consent', 'unreadable']);
    const missing = review.find((r) => r.code === 'unreadable')?.reason;
    expect(missing).toMatch(/No se encuentra el archivo «.*tarde\.pdf»/);
    expect(missing).not.toMatch(/ENOENT/);

    // Processed again before the clinic fixed it, a row only the clinic can fix says so.
    expect(await call('clinicDb.retry', { id: refused['12']?.id ?? 0 })).toMatchObject({
      taken: false,
      reason: expect.stringMatching(/Corrija la fila/),
    });

    // The clinic fixes both rows: read again, taken, gone from the list.
    editClinicDatabase(file, "UPDATE resultados SET ruta = 'hemograma.pdf', v = 6 WHERE id = 11");
    editClinicDatabase(file, "UPDATE resultados SET aprobado = '2026-11-21 09:00:00', v = 7 WHERE id = 12");
    await expect.poll(async () => (await call('clinicDb.refused', {})).length, { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => (await call('results.review', {})).total, { timeout: 20_000 }).toBe(5);
  }, 60_000);
});
