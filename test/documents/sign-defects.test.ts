import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFString,
  StandardFonts,
  rgb,
} from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SigningIdentity, loadCertificate } from '../../src/main/core/documents/certificate';
import { inspectCertificate } from '../../src/main/core/documents/certificate-cache';
import { buildCadesSignature } from '../../src/main/core/documents/cms';
import { type SignPdfOptions, type SignSettings, signPdf } from '../../src/main/core/documents/sign-pdf';
import { type Party, days, forgeP12, issue, makeCa } from '../helpers/pki';
import { tempDir } from '../helpers/temp';
import { pdfsig, pdftotext, samplePdf } from './pdf-tools';

// Each defect found by an outside validation of Avisa's signatures, reproduced by a fixture first.

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const PASSWORD = 'clave-de-prueba';

let ca: Party;
let clinicP12: Buffer;
let labP12: Buffer;
let lab: SigningIdentity;

beforeAll(() => {
  ca = makeCa('Avisa Test Root CA', NOW);
  const clinic = issue(ca, { cn: 'Dra. María Pérez Ñique', notBefore: days(NOW, -10), notAfter: days(NOW, 365) });
  const labParty = issue(ca, { cn: 'Laboratorio Referencial SAC', notBefore: days(NOW, -10), notAfter: days(NOW, 365) });
  clinicP12 = forgeP12(clinic, [ca], PASSWORD);
  labP12 = forgeP12(labParty, [ca], PASSWORD);
  const loaded = loadCertificate(labP12, PASSWORD, NOW);
  if (!loaded.ok) throw new Error(loaded.reason.en);
  lab = loaded.identity;
});

const settings: SignSettings = { reason: 'Resultado de laboratorio', location: 'Lima, Perú', timeZone: 'America/Lima', now: NOW };
const asClinic = (extra: Partial<SignSettings> = {}): SignPdfOptions => ({ p12: clinicP12, password: PASSWORD, ...settings, ...extra });

async function signed(input: Buffer, options: SignPdfOptions = asClinic()) {
  const result = await signPdf(input, options);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result;
}

function save(name: string, bytes: Buffer): string {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}

type Rect = [number, number, number, number];

/** Signature widgets per page, in file order: their field name and rectangle. */
async function signatureWidgets(pdf: Buffer): Promise<{ page: number; name: string; rect: Rect }[]> {
  const doc = await PDFDocument.load(pdf);
  const out: { page: number; name: string; rect: Rect }[] = [];
  doc.getPages().forEach((page, index) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; i < (annots?.size() ?? 0); i += 1) {
      const annot = annots?.lookup(i, PDFDict);
      if (annot?.lookup(PDFName.of('FT')) !== PDFName.of('Sig')) continue;
      const rect = annot.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber()) as Rect;
      const t = annot.lookup(PDFName.of('T'));
      out.push({ page: index, name: t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : '', rect });
    }
  });
  return out;
}

const overlaps = (a: Rect, b: Rect): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** Word boxes as poppler finds them (pdftotext -bbox), turned into PDF user space (origin bottom-left). */
function wordBoxes(file: string, pageHeight: number): { word: string; rect: Rect }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    word: m[5] ?? '',
    rect: [Number(m[1]), pageHeight - Number(m[4]), Number(m[3]), pageHeight - Number(m[2])],
  }));
}

/** A signer for fixtures made by other tools' rules (a certification signature), with the lab's certificate. */
class LabSigner extends Signer {
  override async sign(content: Buffer): Promise<Buffer> {
    return buildCadesSignature(content, lab);
  }
}

/** A PDF certified by its issuer: a DocMDP signature with the given permissions, made the way pdf-lib based signers do. */
async function certifiedPdf(p: 1 | 2 | 3): Promise<Buffer> {
  const doc = await PDFDocument.load(await samplePdf({ objectStreams: false }));
  const ctx = doc.context;
  const placeholder = PDFName.of('**********');
  const sigRef = ctx.register(
    ctx.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      ByteRange: [0, placeholder, placeholder, placeholder],
      Contents: PDFHexString.of('0'.repeat(16_384)),
      M: PDFString.fromDate(NOW),
      Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: p, V: '1.2' } }],
    }),
  );
  const page = doc.getPage(0);
  const widget = ctx.register(
    ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of('Certificacion'), V: sigRef, P: page.ref, F: 132, Rect: [0, 0, 0, 0] }),
  );
  page.node.set(PDFName.of('Annots'), ctx.obj([widget]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [widget], SigFlags: 3 }));
  doc.catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: sigRef }));
  return new SignPdf().sign(Buffer.from(await doc.save({ useObjectStreams: false })), new LabSigner());
}

describe('D1: a form with /NeedAppearances true', () => {
  it('drops the flag in the update, so poppler draws the stamp', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('Solicitud de examen', { x: 50, y: 780, size: 14, font });
    const field = doc.getForm().createTextField('paciente');
    field.setText('María Pérez');
    field.addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
    doc.getForm().acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.True);
    const input = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(input.toString('latin1')).toMatch(/\/NeedAppearances true/);

    const result = await signed(input);
    const file = save('form.pdf', result.pdf);
    const text = pdftotext(file);
    expect(text).toContain('Firmado digitalmente por:');
    expect(text).toContain(result.verificationCode);
    const after = await PDFDocument.load(result.pdf);
    expect(after.catalog.lookup(PDFName.of('AcroForm'), PDFDict).get(PDFName.of('NeedAppearances'))).toBeUndefined();
    expect(pdfsig(file).signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true });
    // The form's own field keeps the appearance its producer wrote.
    expect(text).toContain('María Pérez');
  });
});

describe('D2: a lab report already signed with a visible stamp', () => {
  it('puts the clinic stamp clear of the lab stamp, wherever the lab put it', async () => {
    // The lab's stamp sits low on the right, between where a bottom-right stamp and the slot above it would go.
    const byLab = await signed(await samplePdf(), {
      p12: labP12,
      password: PASSWORD,
      ...settings,
      reason: 'Validación del laboratorio',
      stamp: { x: 330, y: 40 },
    });
    const byClinic = await signed(byLab.pdf);
    const widgets = await signatureWidgets(byClinic.pdf);
    expect(widgets).toHaveLength(2);
    const [labWidget, clinicWidget] = widgets;
    expect(overlaps(labWidget?.rect ?? [0, 0, 0, 0], clinicWidget?.rect ?? [0, 0, 0, 0])).toBe(false);
    expect(clinicWidget?.page).toBe(0);

    const file = save('two-stamps.pdf', byClinic.pdf);
    const { signatures } = pdfsig(file);
    expect(signatures.map((s) => s.valid)).toEqual([true, true]);
    const text = pdftotext(file);
    expect(text).toContain(byLab.verificationCode);
    expect(text).toContain(byClinic.verificationCode);
  });
});

describe('D3: page content where the stamp would go', () => {
  async function footerPdf(): Promise<Buffer> {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    page.drawText('LABORATORIO REFERENCIAL SAC', { x: 50, y: 790, size: 14, font: bold });
    page.drawText('Hemoglobina: 13.5 g/dL', { x: 50, y: 740, size: 11, font });
    page.drawLine({ start: { x: 40, y: 60 }, end: { x: 555, y: 60 }, thickness: 0.5, color: rgb(0.3, 0.3, 0.3) });
    page.drawText('Validado por: Dr. Juan Quispe Huamán - CMP 045871', { x: 300, y: 44, size: 9, font });
    page.drawText('RUC 20512345678 - Av. Arequipa 1234, Lima', { x: 340, y: 30, size: 9, font });
    page.drawText('Página 1 de 1', { x: 50, y: 30, size: 9, font });
    return Buffer.from(await doc.save());
  }

  it('keeps the stamp off the footer ("Validado por", the RUC): every word stays uncovered', async () => {
    const input = await footerPdf();
    const result = await signed(input);
    expect(result.appearance).toBe('stamp');
    const [widget] = await signatureWidgets(result.pdf);
    const words = wordBoxes(save('input.pdf', input), 842);
    expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(['Validado', 'RUC', '20512345678']));
    for (const { word, rect } of words) expect(overlaps(widget?.rect ?? [0, 0, 0, 0], rect), word).toBe(false);
    // Still in the lower right, just above the footer rule, as the clinic would expect.
    expect(widget?.rect[1]).toBeGreaterThan(60);
    expect(widget?.rect[3]).toBeLessThan(400);
    expect(widget?.rect[2]).toBeGreaterThan(500);
    expect(pdfsig(save('footer-signed.pdf', result.pdf)).signatures[0]?.valid).toBe(true);
  });

  it('starts from the corner chosen for the kind', async () => {
    const result = await signed(await footerPdf(), asClinic({ stamp: { corner: 'top-right' } }));
    const [widget] = await signatureWidgets(result.pdf);
    expect(widget?.rect[3]).toBeGreaterThan(800);
    const words = wordBoxes(save('input.pdf', await footerPdf()), 842);
    for (const { word, rect } of words) expect(overlaps(widget?.rect ?? [0, 0, 0, 0], rect), word).toBe(false);
  });

  async function fullPage(): Promise<Buffer> {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let y = 820; y > 10; y -= 12) {
      page.drawText('Resultado 13.5 g/dL  Referencia 12.0 - 16.0  Método: citometría de flujo  Observación: ninguna', {
        x: 20, y, size: 9, font,
      });
    }
    return Buffer.from(await doc.save());
  }

  it('adds a signature page at the end when the page has no empty spot', async () => {
    const input = await fullPage();
    const result = await signed(input);
    expect(result.appearance).toBe('signature_page');
    const after = await PDFDocument.load(result.pdf);
    expect(after.getPageCount()).toBe(2);
    const [widget] = await signatureWidgets(result.pdf);
    expect(widget?.page).toBe(1);
    const file = save('full-signed.pdf', result.pdf);
    expect(pdfsig(file).signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true });
    expect(result.pdf.subarray(0, input.length).equals(input)).toBe(true);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    const lastPage = execFileSync('pdftotext', ['-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' });
    expect(lastPage).toContain(result.verificationCode);
  });

  it('signs without a stamp when the clinic says so, or when the full page was already signed by someone', async () => {
    const invisible = await signed(await fullPage(), asClinic({ stamp: { whenFull: 'invisible' } }));
    expect(invisible.appearance).toBe('invisible');
    const byLab = await signed(await fullPage(), { p12: labP12, password: PASSWORD, ...settings, stamp: false });
    const byClinic = await signed(byLab.pdf);
    expect(byClinic.appearance).toBe('invisible');
    expect((await PDFDocument.load(byClinic.pdf)).getPageCount()).toBe(1);
    expect(pdfsig(save('two.pdf', byClinic.pdf)).signatures.map((s) => s.valid)).toEqual([true, true]);
  });
});

describe('D4: a PDF certified by its issuer', () => {
  it.each([2, 3] as const)('P=%s: signed with an invisible field, and the certification stays valid', async (p) => {
    const input = await certifiedPdf(p);
    expect(pdfsig(save('certified.pdf', input)).signatures[0]?.valid).toBe(true);
    const result = await signed(input);
    expect(result.appearance).toBe('invisible');
    const widgets = await signatureWidgets(result.pdf);
    expect(widgets.map((w) => w.rect)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const { signatures } = pdfsig(save('certified-signed.pdf', result.pdf));
    expect(signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(signatures[0]).toMatchObject({ commonName: 'Laboratorio Referencial SAC', totalDocumentSigned: false });
    // The certification is untouched: same bytes, and the catalog still points /Perms /DocMDP at it.
    expect(result.pdf.subarray(0, input.length).equals(input)).toBe(true);
    const after = await PDFDocument.load(result.pdf);
    const docMdp = after.catalog.lookup(PDFName.of('Perms'), PDFDict).lookup(PDFName.of('DocMDP'), PDFDict);
    expect(docMdp.lookup(PDFName.of('Reference'), PDFArray).size()).toBe(1);
  });

  it('is refused with its reason when the clinic chooses not to sign certified documents', async () => {
    const result = await signPdf(await certifiedPdf(2), asClinic({ certified: 'refuse' }));
    expect(result).toMatchObject({ ok: false, code: 'certified_pdf' });
    if (!result.ok) expect(result.reason.es).toMatch(/certificado por quien lo emitió/);
  });

  it('P=1 is refused as locked, not as an invalid PDF', async () => {
    const result = await signPdf(await certifiedPdf(1), asClinic());
    expect(result).toMatchObject({ ok: false, code: 'locked_pdf' });
    if (!result.ok) expect(result.reason.es).not.toMatch(/no es un PDF válido/);
  });
});

describe('D6: bytes after %%EOF', () => {
  it.each([true, false])('signs a file padded with 4 KiB after its end marker (object streams: %s)', async (objectStreams) => {
    const padded = Buffer.concat([await samplePdf({ objectStreams }), Buffer.alloc(4096, 0x20)]);
    const original = save('padded.pdf', padded);
    // Poppler reads it; qpdf looks only 1 KiB back, warns and rebuilds a classic cross-reference table (exit 3).
    if (!objectStreams) expect([0, 3]).toContain(spawnSync('qpdf', ['--check', original]).status);
    expect(pdftotext(original)).toContain('Hemoglobina');
    const result = await signed(padded);
    expect(pdfsig(save('padded-signed.pdf', result.pdf)).signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true });
  });

  it('still refuses a file cut before its end marker', async () => {
    const whole = await samplePdf();
    const result = await signPdf(whole.subarray(0, whole.length - 30), asClinic());
    expect(result).toMatchObject({ ok: false, code: 'invalid_pdf' });
  });
});

describe('installing a certificate with the wrong password', () => {
  it('speaks of the password just typed, not of a saved one', () => {
    const view = inspectCertificate({ p12: clinicP12, password: 'otra' }, NOW.getTime());
    expect(view).toMatchObject({ configured: true, ok: false, code: 'wrong_password' });
    if (view.configured && !view.ok) {
      expect(view.reason.es).toMatch(/contraseña escrita/);
      expect(view.reason.es).not.toMatch(/guardada/);
      expect(view.reason.en).toMatch(/you typed/);
    }
  });
});
