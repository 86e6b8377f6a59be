import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { days, forgeP12, issue, makeCa } from '../test/helpers/pki';
import { percentile, startBenchApp, withTempDir } from './util';

const FILES = 500;
const DROP_EVERY_MS = 20;

async function pdfNumbered(i: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText(`Resultado ${i}`);
  doc.setTitle(`Resultado ${i}`);
  return doc.save();
}

/** File dropped in the shared folder → signed result message queued, for 500 files dropped 50 a second. */
export async function intake(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const { app, call } = await startBenchApp(dir);
    await call('setup.complete', {
      clinicName: 'Bench',
      sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'cloud-api', // not configured: messages stay queued, which is what is measured
    });
    const now = new Date();
    const ca = makeCa('Bench CA', now);
    const leaf = issue(ca, { cn: 'Clínica Bench', notBefore: days(now, -1), notAfter: days(now, 365) });
    await call('certificate.install', { base64: forgeP12(leaf, [ca], 'x').toString('base64'), password: 'x' });
    const patientOf = new Map<number, number>();
    for (let i = 0; i < FILES; i++) {
      const p = (await call('patients.create', {
        firstNames: 'Ana', lastNames: `Bench ${i}`, documentType: 'DNI', documentNumber: String(40_000_000 + i),
        phone: `9${String(50_000_000 + i)}`, consent: true,
      })) as { id: number };
      patientOf.set(p.id, i);
    }
    const folder = join(dir, 'share');
    mkdirSync(folder);
    await call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    const pdfs = await Promise.all(Array.from({ length: FILES }, (_, i) => pdfNumbered(i)));

    const dropped = new Map<number, number>();
    const queued = new Map<number, number>();
    const unsubscribe = app.subscribe((e) => {
      if (e.name === 'message.changed' && e.data.state === 'queued' && !queued.has(e.data.id)) queued.set(e.data.id, Date.now());
    });
    for (let i = 0; i < FILES; i++) {
      writeFileSync(join(folder, `${40_000_000 + i}_ACC${i}_resultado.pdf`), pdfs[i]!);
      dropped.set(i, Date.now());
      await new Promise((r) => setTimeout(r, DROP_EVERY_MS));
    }
    const deadline = Date.now() + 120_000;
    while (queued.size < FILES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    unsubscribe();
    const rows = ((await call('messages.list', { limit: 500 })) as { rows: { id: number; patientId: number }[] }).rows;
    const latencies = rows.map((m) => (queued.get(m.id) ?? NaN) - (dropped.get(patientOf.get(m.patientId)!) ?? NaN));
    await app.stop();
    if (rows.length !== FILES) throw new Error(`${rows.length} of ${FILES} files reached the queue`);
    return { 'intake.p50_ms': percentile(latencies, 50), 'intake.p95_ms': percentile(latencies, 95) };
  });
}
