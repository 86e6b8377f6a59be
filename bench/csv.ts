import { startBenchApp, withTempDir } from './util';

const ROWS = 2000;

/** Citas → Importar CSV: a month of a busy clinic's agenda (2000 rows), previewed, imported, then imported again. */
export async function csv(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const { app, call } = await startBenchApp(dir);
    await call('setup.complete', {
      clinicName: 'Bench',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }, { name: 'Cardiología' }],
      channel: 'cloud-api', // not configured: reminders stay queued
    });
    const start = Date.now() + 86_400_000;
    const lines = ['\uFEFFDocumento;Nombres;Apellidos;Celular;Sede;Servicio;Fecha;Hora;ID externo;Consentimiento'];
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(start + Math.floor(i / 20) * 86_400_000 * 0.3 + (i % 20) * 1_800_000 - 5 * 3_600_000);
      const dmy = `${String(at.getUTCDate()).padStart(2, '0')}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${at.getUTCFullYear()}`;
      const hm = `${String(8 + (i % 10)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
      lines.push(`${40_000_000 + i};Ana;Bench ${i};9${50_000_000 + i};Sede Centro;${i % 2 ? 'Laboratorio' : 'Cardiología'};${dmy};${hm};B-${i};sí`);
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const time = async (name: string) => {
      const t = performance.now();
      const result = (await call(name, { csv: text })) as { valid: number; created?: number; unchanged?: number };
      return { ms: performance.now() - t, result };
    };
    const preview = await time('appointments.csvPreview');
    const first = await time('appointments.csvImport');
    const again = await time('appointments.csvImport');
    if (first.result.created !== ROWS || again.result.unchanged !== ROWS) throw new Error('CSV import did not import every row once');
    await app.stop();
    return {
      'csv.preview_2000_rows_ms': preview.ms,
      'csv.import_2000_rows_ms': first.ms,
      'csv.reimport_2000_rows_unchanged_ms': again.ms,
    };
  });
}
