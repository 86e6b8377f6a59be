import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/main/core/hash';
import { folderSourceSettingsSchema, type FolderSourceSettings } from '../../src/main/core/settings/results-settings';
import { SIGNED_SUFFIX, moveResolvedFile, startFolderSource, type FolderSource } from '../../src/main/core/sources/folder-source';
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

interface Watched {
  h: Harness;
  folder: string;
  source: FolderSource;
  errors: Error[];
}

async function watched(settings: Partial<FolderSourceSettings> = {}, o: Parameters<typeof harness>[1] = {}): Promise<Watched> {
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

const LATER_PATIENT = '90909090';
const withLaterPatient = new WeakSet<Harness>();

/**
 * "Nothing happened to a file" holds only once the watcher has got past it. A PDF written after it goes through the
 * same polls and the same wait for a stable size, so once that later PDF has been taken, moved to enviados/ and the
 * source is idle (no file queued, none waiting for a sidecar), the earlier file has had its turn. Returns the later
 * file's name; its own intake row and message are the only ones it adds.
 */
async function laterFileTaken(w: Watched, name: string): Promise<string> {
  if (!withLaterPatient.has(w.h)) w.h.patient({ documentNumber: LATER_PATIENT });
  withLaterPatient.add(w.h);
  const file = `${LATER_PATIENT}_${name}_resultado.pdf`;
  writeFileSync(join(w.folder, file), await reportPdf());
  await waitFor(`the later file ${file} moved`, () => sent(w.folder), (f) => f.includes(file));
  await w.source.idle();
  return file;
}

/** Files written together with the ones under test are seen in the same poll; the second one comes strictly later. */
async function twoLaterFilesTaken(w: Watched): Promise<string[]> {
  return [await laterFileTaken(w, 'LATER1'), await laterFileTaken(w, 'LATER2')];
}

const sourceFileNames = (h: Harness) => h.intakeRows().map((r) => basename(r.sourceFile ?? ''));

// The signed copies beside the originals have their own test below.
const sent = (folder: string) => filesIn(join(folder, 'enviados')).filter((n) => !n.endsWith(SIGNED_SUFFIX));
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

  it('sends a corrupt PDF to errores/ as invalid_pdf, and leaves a file that is not a PDF where it is', async () => {
    const w = await watched({ sidecarWaitMs: 0 });
    const { h, folder } = w;
    h.patient({ documentNumber: '33334444' });
    const good = await reportPdf();
    writeFileSync(join(folder, '33334444_D1_resultado.pdf'), good.subarray(0, Math.floor(good.length / 3)));
    writeFileSync(join(folder, '33334444_D2_resultado.docx'), 'PK\u0003\u0004 word document');
    // What a folder pointed at a home directory holds: none of it is Avisa's to move.
    writeFileSync(join(folder, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----');
    writeFileSync(join(folder, 'factura.xlsx'), 'PK');
    writeFileSync(join(folder, 'package.json'), '{"name":"x"}');

    await waitFor('the PDF in errores', () => failed(folder), (f) => f.length === 2);
    // The other files were seen with the corrupt PDF; a PDF written only now is taken after them.
    const later = await laterFileTaken(w, 'LATER');
    const rows = h.intakeRows();
    expect(rows.map((r) => r.reviewCode)).toEqual(['invalid_pdf', null]);
    expect(sourceFileNames(h)).toEqual(['33334444_D1_resultado.pdf', later]);
    for (const name of ['33334444_D2_resultado.docx', 'id_rsa', 'factura.xlsx', 'package.json']) {
      expect(existsSync(join(folder, name)), name).toBe(true);
    }
    expect(failed(folder)).toEqual(['33334444_D1_resultado.pdf', '33334444_D1_resultado.pdf.motivo.txt']);
    const laterResultId = rows[1]?.resultId;
    expect(laterResultId).toBeTypeOf('number');
    // The one message is the later file's; nothing of the corrupt PDF's went out.
    expect(h.messages().map((m) => m.resultId)).toEqual([laterResultId]);
    expect(h.resultRows().filter((r) => r.id !== laterResultId).every((r) => r.status === 'pending_review')).toBe(true);
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
    // Gaps of 200 ms against a threshold of 1.5 s: a busy machine that stretches a gap several times over still
    // copies "slowly" rather than pausing, so the checks between chunks hold.
    const { h, folder } = await watched({ stabilityMs: 1_500 });
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

  it('leaves a sidecar whose PDF never came where it is (any JSON file may sit in the folder)', async () => {
    const w = await watched({ sidecarWaitMs: 300 });
    writeFileSync(join(w.folder, 'huerfano.json'), JSON.stringify({ documentNumber: '1' }));
    const later = await twoLaterFilesTaken(w);
    expect(existsSync(join(w.folder, 'huerfano.json'))).toBe(true);
    expect(failed(w.folder)).toEqual([]);
    expect(sent(w.folder)).toEqual(later);
    expect(sourceFileNames(w.h)).toEqual(later);
  });

  it('ignores temporary files and its own folders', async () => {
    const w = await watched();
    const { h, folder } = w;
    mkdirSync(join(folder, 'enviados'), { recursive: true });
    writeFileSync(join(folder, 'enviados', '12345678_X_resultado.pdf'), await reportPdf());
    writeFileSync(join(folder, '~$informe.pdf'), 'lock');
    writeFileSync(join(folder, '12345678_X_resultado.pdf.part'), 'partial');
    writeFileSync(join(folder, 'Thumbs.db'), 'x');
    const later = await twoLaterFilesTaken(w);
    // Only the later files went through the intake; the rest stayed where they were.
    expect(sourceFileNames(h)).toEqual(later);
    expect(sent(folder)).toEqual(['12345678_X_resultado.pdf', ...later]);
    for (const name of ['~$informe.pdf', '12345678_X_resultado.pdf.part', 'Thumbs.db']) {
      expect(existsSync(join(folder, name)), name).toBe(true);
    }
    expect(failed(folder)).toEqual([]);
  });

  it('writes the signed PDF beside the original in enviados/ as <name>.firmado.pdf, and not when turned off', async () => {
    const { h, folder } = await watched();
    h.patient({ documentNumber: '45678912' });
    const pdf = await reportPdf();
    writeFileSync(join(folder, '45678912_S1_resultado.pdf'), pdf);
    const all = () => filesIn(join(folder, 'enviados'));
    await waitFor('the signed copy', all, (f) => f.length === 2);
    expect(all()).toEqual(['45678912_S1_resultado.firmado.pdf', '45678912_S1_resultado.pdf']);
    const copy = readFileSync(join(folder, 'enviados', '45678912_S1_resultado.firmado.pdf'));
    // The copy is byte for byte what the patient gets.
    expect(copy.equals(readFileSync(h.resultRows()[0]?.filePath ?? ''))).toBe(true);
    expect(pdfsig(join(folder, 'enviados', '45678912_S1_resultado.firmado.pdf')).signatures[0]?.valid).toBe(true);
    expect(readFileSync(join(folder, 'enviados', '45678912_S1_resultado.pdf')).equals(pdf)).toBe(true);

    const off = await watched({ signedCopy: false });
    off.h.patient({ documentNumber: '45678912' });
    writeFileSync(join(off.folder, '45678912_S2_resultado.pdf'), await reportPdf());
    await waitFor('the move', () => sent(off.folder), (f) => f.length === 1);
    await off.source.idle();
    expect(filesIn(join(off.folder, 'enviados'))).toEqual(['45678912_S2_resultado.pdf']);
  });

  it('writes the signed copy too when a fixed item leaves errores/', async () => {
    const { h, folder } = await watched({}, {
      intake: { onResolved: (item) => moveResolvedFile(item.sourceFile, item.document?.signed ? item.document.file : null) },
    });
    writeFileSync(join(folder, '22224444_C2_resultado.pdf'), await reportPdf());
    const [item] = await waitFor('the review item', h.intakeRows, (rows) => rows[0]?.sourceFile != null);
    const patient = h.patient({ documentNumber: '99990001' });
    expect((await h.intake.fix({ id: item?.id ?? 0, patientId: patient.id }, 'recepcion')).state).toBe('queued');
    expect(filesIn(join(folder, 'enviados'))).toEqual(['22224444_C2_resultado.firmado.pdf', '22224444_C2_resultado.pdf']);
  });
});
