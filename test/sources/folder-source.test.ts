import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/main/core/hash';
import { folderSourceSettingsSchema, type FolderSourceSettings } from '../../src/main/core/settings/results-settings';
import { moveResolvedFile, startFolderSource, type FolderSource } from '../../src/main/core/sources/folder-source';
import { pdfsig } from '../documents/pdf-tools';
import { tempDir } from '../helpers/temp';
import { filesIn, harness, makePki, reportPdf, waitFor, type Harness, type Pki } from '../results/harness';

// A real folder watched by chokidar (polling, as on an SMB share, with short intervals), feeding the real intake.

let pki: Pki;
const running: { source: FolderSource; h: Harness }[] = [];

beforeAll(() => {
  pki = makePki();
});

afterEach(async () => {
  for (const { source, h } of running.splice(0)) {
    await source.close();
    await h.close();
  }
});

async function watched(
  settings: Partial<FolderSourceSettings> = {},
  o: Parameters<typeof harness>[1] = {},
): Promise<{ h: Harness; folder: string; source: FolderSource; errors: Error[] }> {
  const h = harness(pki, {
    ...o,
    intake: { onResolved: (item) => moveResolvedFile(item.sourceFile), ...o.intake },
  });
  const folder = settings.path ?? tempDir('avisa-folder-');
  const errors: Error[] = [];
  const source = startFolderSource({
    settings: folderSourceSettingsSchema.parse({
      enabled: true,
      path: folder,
      pollIntervalMs: 50,
      stabilityMs: 250,
      sidecarWaitMs: 600,
      ...settings,
    }),
    sink: h.intake,
    onError: (e) => errors.push(e),
  });
  running.push({ source, h });
  await source.ready;
  return { h, folder, source, errors };
}

const sent = (folder: string) => filesIn(join(folder, 'enviados'));
const failed = (folder: string) => filesIn(join(folder, 'errores'));

describe('shared-folder source', () => {
  it('takes a PDF named by the pattern: one signed result queued, the file moved to enviados/', async () => {
    const { h, folder, errors } = await watched();
    h.patient({ documentNumber: '45678912' });
    const pdf = await reportPdf();
    writeFileSync(join(folder, '45678912_ACC-2025-77_resultado.pdf'), pdf);

    const [message] = await waitFor('the message', h.messages, (m) => m.length === 1);
    await waitFor('the move', () => sent(folder), (f) => f.length === 1);
    expect(sent(folder)).toEqual(['45678912_ACC-2025-77_resultado.pdf']);
    expect(filesIn(folder)).toEqual(['enviados']);
    // The original is kept byte for byte; what goes out is the signed copy.
    expect(readFileSync(join(folder, 'enviados', '45678912_ACC-2025-77_resultado.pdf')).equals(pdf)).toBe(true);

    const [result] = h.resultRows();
    expect(result).toMatchObject({ status: 'queued', signed: 1, accessionNumber: 'ACC-2025-77', kind: 'result' });
    expect(message?.documentPath).toBe(result?.filePath);
    const check = pdfsig(message?.documentPath ?? '');
    expect(check.signatures).toHaveLength(1);
    expect(check.signatures[0]?.valid).toBe(true);
    expect(h.intakeRows()[0]).toMatchObject({
      sourceKey: `folder:${sha256Hex(pdf)}:result`,
      reviewCode: null,
      sourceFile: join(folder, 'enviados', '45678912_ACC-2025-77_resultado.pdf'),
    });
    expect(errors).toEqual([]);
  });

  it('reads a JSON sidecar (written first) that creates the patient', async () => {
    const { h, folder } = await watched();
    writeFileSync(
      join(folder, 'informe-0193.json'),
      JSON.stringify({
        documentNumber: 70112233,
        documentType: 'DNI',
        firstNames: 'Rosa Angélica',
        lastNames: 'Mamani Flores',
        phone: '912345678',
        consent: true,
        title: 'Perfil lipídico',
        kind: 'resultado',
        approvedBy: 'Blgo. Torres',
        approvedAt: '2025-03-05T10:30:00-05:00',
      }),
    );
    writeFileSync(join(folder, 'informe-0193.pdf'), await reportPdf());

    const [message] = await waitFor('the message', h.messages, (m) => m.length === 1);
    expect(JSON.parse(message?.templateParams ?? '[]')).toEqual(['Rosa', 'Perfil lipídico']);
    expect(message?.toPhone).toBe('+51912345678');
    await waitFor('both files moved', () => sent(folder), (f) => f.length === 2);
    expect(sent(folder)).toEqual(['informe-0193.json', 'informe-0193.pdf']);
    const patient = h.db.prepare('SELECT first_names AS f, consent_source AS c FROM patients').get();
    expect(patient).toEqual({ f: 'Rosa Angélica', c: 'import' });
  });

  it('makes one result of a file copied in twice', async () => {
    const { h, folder, source } = await watched();
    h.patient({ documentNumber: '45678912' });
    const pdf = await reportPdf();
    const outside = join(tempDir(), 'original.pdf');
    writeFileSync(outside, pdf);
    copyFileSync(outside, join(folder, '45678912_A1_resultado.pdf'));
    await waitFor('the first copy', () => sent(folder), (f) => f.length === 1);
    copyFileSync(outside, join(folder, '45678912_A1_resultado.pdf'));
    await waitFor('the second copy', () => sent(folder), (f) => f.length === 2);
    await source.idle();
    await h.intake.idle();

    expect(sent(folder)).toEqual(['45678912_A1_resultado (2).pdf', '45678912_A1_resultado.pdf']);
    expect(h.resultRows()).toHaveLength(1);
    expect(h.messages()).toHaveLength(1);
    expect(h.intakeRows()).toHaveLength(1);
  });

  it.each([
    ['an unknown patient', 'unknown_patient', /No hay ningún paciente registrado con DNI 11112222/, () => undefined],
    ['a landline instead of a mobile', 'bad_phone', /no tiene un celular válido/, (h: Harness) => h.patient({ documentNumber: '11112222', phone: '014221234' })],
    ['no consent', 'no_consent', /aún no autorizó/, (h: Harness) => h.patient({ documentNumber: '11112222', consent: 'unknown' })],
  ])('moves a file with %s to errores/ with a motivo, and keeps it in review', async (_, code, reason, given) => {
    const { h, folder } = await watched();
    given(h);
    writeFileSync(join(folder, '11112222_B7_resultado.pdf'), await reportPdf());

    await waitFor('the motivo', () => failed(folder), (f) => f.length === 2);
    expect(failed(folder)).toEqual(['11112222_B7_resultado.pdf', '11112222_B7_resultado.pdf.motivo.txt']);
    const motivo = readFileSync(join(folder, 'errores', '11112222_B7_resultado.pdf.motivo.txt'), 'utf8');
    expect(motivo).toMatch(reason);
    expect(h.messages()).toHaveLength(0);
    await waitFor('the source file noted', h.intakeRows, (rows) => rows[0]?.sourceFile !== null);
    expect(h.intakeRows()[0]).toMatchObject({ reviewCode: code, sourceFile: join(folder, 'errores', '11112222_B7_resultado.pdf') });
  });

  it('sends a fixed item and moves its file from errores/ to enviados/', async () => {
    const { h, folder } = await watched();
    writeFileSync(join(folder, '22223333_C1_resultado.pdf'), await reportPdf());
    const [item] = await waitFor('the review item', h.intakeRows, (rows) => rows[0]?.sourceFile != null);
    const patient = h.patient({ documentNumber: '99990000' });
    expect((await h.intake.fix({ id: item?.id ?? 0, patientId: patient.id }, 'recepcion')).state).toBe('queued');
    expect(sent(folder)).toEqual(['22223333_C1_resultado.pdf']);
    expect(failed(folder)).toEqual([]);
    expect(h.messages()).toHaveLength(1);
  });

  it('sends a corrupt PDF to errores/ as invalid_pdf, and a file that is not a PDF as not_pdf', async () => {
    const { h, folder } = await watched();
    h.patient({ documentNumber: '33334444' });
    const good = await reportPdf();
    writeFileSync(join(folder, '33334444_D1_resultado.pdf'), good.subarray(0, Math.floor(good.length / 3)));
    writeFileSync(join(folder, '33334444_D2_resultado.docx'), 'PK\u0003\u0004 word document');

    await waitFor('both in errores', () => failed(folder), (f) => f.length === 4);
    const rows = h.intakeRows();
    expect(rows.map((r) => r.reviewCode).sort()).toEqual(['invalid_pdf', 'not_pdf']);
    expect(readFileSync(join(folder, 'errores', '33334444_D2_resultado.docx.motivo.txt'), 'utf8')).toMatch(/no es un PDF/);
    expect(h.messages()).toHaveLength(0);
    expect(h.resultRows().every((r) => r.status === 'pending_review')).toBe(true);
  });

  it('puts a name that follows no pattern and has no sidecar in review after waiting for one', async () => {
    const { h, folder } = await watched({ sidecarWaitMs: 300 });
    writeFileSync(join(folder, 'escaneo 2025-03-05.pdf'), await reportPdf());
    await waitFor('the motivo', () => failed(folder), (f) => f.length === 2);
    expect(h.intakeRows()[0]?.reviewCode).toBe('no_metadata');
    expect(readFileSync(join(folder, 'errores', 'escaneo 2025-03-05.pdf.motivo.txt'), 'utf8')).toMatch(
      /no sigue el patrón configurado \(\{documentNumber\}_\{accession\}_\{kind\}\.pdf\)/,
    );
  });

  it('does not take a file whose size is still changing', async () => {
    const { h, folder } = await watched({ stabilityMs: 600 });
    h.patient({ documentNumber: '55556666' });
    const pdf = await reportPdf();
    const file = join(folder, '55556666_E1_resultado.pdf');
    const chunks = 8;
    const size = Math.ceil(pdf.length / chunks);
    writeFileSync(file, pdf.subarray(0, size));
    for (let i = 1; i < chunks; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      // Shorter gaps than the stability threshold: a slow network copy.
      expect(h.intakeRows()).toHaveLength(0);
      appendFileSync(file, pdf.subarray(i * size, (i + 1) * size));
    }
    expect(h.intakeRows()).toHaveLength(0);
    await waitFor('the message', h.messages, (m) => m.length === 1);
    const rows = h.intakeRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sourceKey).toBe(`folder:${sha256Hex(pdf)}:result`);
    expect(h.resultRows()[0]?.signed).toBe(1);
  });

  it('takes files that were already in the folder when it starts', async () => {
    const folder = tempDir('avisa-folder-');
    const pdf = await reportPdf();
    writeFileSync(join(folder, '77778888_F1_certificado.pdf'), pdf);
    const { h } = await watched({ path: folder }, {});
    h.patient({ documentNumber: '77778888' });
    // The patient was registered after the scan began: the item is in review or queued; retry settles it either way.
    const [item] = await waitFor('the item', h.intakeRows, (rows) => rows.length === 1 && rows[0]?.sourceFile != null);
    if (item?.reviewCode) await h.intake.retry(item.id, 'recepcion');
    expect(h.messages()).toHaveLength(1);
    expect(h.messages()[0]).toMatchObject({ kind: 'document', templateName: 'certificado_listo' });
    expect(existsSync(join(folder, 'enviados', '77778888_F1_certificado.pdf'))).toBe(true);
  });

  it('moves a sidecar whose PDF never came to errores/', async () => {
    const { folder } = await watched({ sidecarWaitMs: 300 });
    writeFileSync(join(folder, 'huerfano.json'), JSON.stringify({ documentNumber: '1' }));
    await waitFor('the motivo', () => failed(folder), (f) => f.length === 2);
    expect(readFileSync(join(folder, 'errores', 'huerfano.json.motivo.txt'), 'utf8')).toMatch(/No se encontró el PDF/);
  });

  it('ignores temporary files and its own folders', async () => {
    const { h, folder, source } = await watched();
    mkdirSync(join(folder, 'enviados'), { recursive: true });
    writeFileSync(join(folder, 'enviados', '12345678_X_resultado.pdf'), await reportPdf());
    writeFileSync(join(folder, '~$informe.pdf'), 'lock');
    writeFileSync(join(folder, '12345678_X_resultado.pdf.part'), 'partial');
    writeFileSync(join(folder, 'Thumbs.db'), 'x');
    await new Promise((r) => setTimeout(r, 800));
    await source.idle();
    expect(h.intakeRows()).toHaveLength(0);
    expect(failed(folder)).toEqual([]);
  });
});
