import { DateTime } from 'luxon';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Language, ResultKind } from '../../../shared/domain';

// A document typed at the front desk (a medical certificate, an attestation, a receipt) rendered into a PDF from its
// kind's layout, so it takes the same signing and outbox path as a file from the lab.

export interface DocumentLayout {
  /** The heading printed at the top, e.g. CERTIFICADO MÉDICO. */
  heading: Record<Language, string>;
  /** The line before the body that says whom the document is about. */
  subject: Record<Language, string>;
}

export const documentLayouts: Record<ResultKind, DocumentLayout> = {
  result: {
    heading: { es: 'INFORME DE RESULTADO', en: 'RESULT REPORT' },
    subject: { es: 'Paciente', en: 'Patient' },
  },
  certificate: {
    heading: { es: 'CERTIFICADO MÉDICO', en: 'MEDICAL CERTIFICATE' },
    subject: { es: 'Se certifica que el/la paciente', en: 'This certifies that the patient' },
  },
  attestation: {
    heading: { es: 'CONSTANCIA', en: 'ATTESTATION' },
    subject: { es: 'Se deja constancia de que el/la paciente', en: 'This attests that the patient' },
  },
  receipt: {
    heading: { es: 'RECIBO', en: 'RECEIPT' },
    subject: { es: 'Recibido de', en: 'Received from' },
  },
};

export interface RenderInput {
  kind: ResultKind;
  title: string;
  body: string;
  clinicName: string;
  patient: { fullName: string; documentType: string; documentNumber: string };
  issuedAt: number;
  timeZone: string;
  language: Language;
}

const PAGE: [number, number] = [595.28, 841.89]; // A4 in points
const MARGIN = 56;
// Room at the foot of the last page for the visible signature stamp.
const STAMP_ROOM = 140;

/** The PDF of a typed document: clinic, heading, patient, date, the text wrapped to the page, on as many pages as it needs. */
export async function renderDocumentPdf(input: RenderInput): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.title);
  doc.setCreator('Avisa');
  doc.setCreationDate(new Date(input.issuedAt));
  doc.setModificationDate(new Date(input.issuedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const layout = documentLayouts[input.kind];
  const lang = input.language;
  const width = PAGE[0] - 2 * MARGIN;

  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const line = (text: string, font: PDFFont, size: number, gap = 6): void => {
    if (y - size < MARGIN) {
      page = doc.addPage(PAGE);
      y = PAGE[1] - MARGIN;
    }
    page.drawText(encodable(font, text), { x: MARGIN, y: y - size, size, font });
    y -= size + gap;
  };

  if (input.clinicName.trim()) line(input.clinicName.trim(), bold, 15, 18);
  line(layout.heading[lang], bold, 14, 8);
  if (input.title.trim() && input.title.trim().toUpperCase() !== layout.heading[lang]) line(input.title.trim(), regular, 12, 14);
  const when = DateTime.fromMillis(input.issuedAt, { zone: input.timeZone }).setLocale(lang);
  const dateText = lang === 'en' ? when.toFormat('LLLL d, yyyy') : when.toFormat("d 'de' LLLL 'de' yyyy");
  const who = `${layout.subject[lang]}: ${input.patient.fullName} (${input.patient.documentType} ${input.patient.documentNumber})`;
  for (const l of wrap(regular, who, 11, width)) line(l, regular, 11);
  line(`${lang === 'en' ? 'Date' : 'Fecha'}: ${dateText}`, regular, 11, 16);
  for (const paragraph of input.body.replace(/\r\n?/g, '\n').split('\n')) {
    if (!paragraph.trim()) {
      y -= 8;
      continue;
    }
    for (const l of wrap(regular, paragraph, 11, width)) line(l, regular, 11, 5);
  }
  // The stamp goes at the foot of the page; a body that reaches it continues the signature on a fresh page.
  if (y < MARGIN + STAMP_ROOM) doc.addPage(PAGE);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * Words to lines no wider than `width`; a word longer than a line is cut. Linear in the text: each character's width
 * is measured once (and cached per font and size), never a growing prefix again and again — a 5,000-character word
 * once took 17 s of the one thread that answers every request.
 */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const widthOf = charWidths(font, size);
  const measure = (t: string): number => {
    let w = 0;
    for (const ch of t) w += widthOf(ch);
    return w;
  };
  const space = widthOf(' ');
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const raw of text.split(/\s+/).filter(Boolean)) {
    let word = encodable(font, raw);
    let wordWidth = measure(word);
    if (wordWidth > width) {
      if (current) lines.push(current);
      current = '';
      currentWidth = 0;
      // Cut greedily, one pass over the characters.
      let piece = '';
      let pieceWidth = 0;
      for (const ch of word) {
        const w = widthOf(ch);
        if (piece && pieceWidth + w > width) {
          lines.push(piece);
          piece = '';
          pieceWidth = 0;
        }
        piece += ch;
        pieceWidth += w;
      }
      word = piece;
      wordWidth = pieceWidth;
    }
    if (!current) {
      current = word;
      currentWidth = wordWidth;
    } else if (currentWidth + space + wordWidth > width) {
      lines.push(current);
      current = word;
      currentWidth = wordWidth;
    } else {
      current = `${current} ${word}`;
      currentWidth += space + wordWidth;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Per-character advance widths. Kerning is left out: in the standard fonts it only narrows pairs, so a line measured
 * this way is never wider than the page.
 */
function charWidths(font: PDFFont, size: number): (ch: string) => number {
  const cache = new Map<string, number>();
  return (ch) => {
    let w = cache.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, size);
      cache.set(ch, w);
    }
    return w;
  };
}

/** The standard fonts cover Latin-1 (every Spanish letter); anything else (emoji, other scripts) becomes '?'. */
function encodable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}
