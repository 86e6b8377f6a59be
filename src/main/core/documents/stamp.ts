import { DateTime } from 'luxon';
import {
  type PDFContext,
  type PDFOperator,
  type PDFRef,
  StandardFontEmbedder,
  StandardFonts,
  degrees,
  drawRectangle,
  drawText,
  rgb,
} from 'pdf-lib';
import type { Language } from '../../../shared/domain';

// The visible stamp: the signature widget's appearance, so it is part of the incremental update (the page content
// is never rewritten, which keeps a lab's earlier signature valid) and readers draw it wherever they show the page.

export const STAMP_WIDTH = 236;
export const STAMP_HEIGHT = 58;

export interface StampText {
  signer: string;
  when: Date;
  timeZone: string;
  verificationCode: string;
  language: Language;
  /** The health professional who validated the result, e.g. "Dra. Lucía Paredes (CMP 045821)": one more line. */
  validatedBy?: string;
}

const LABELS: Record<Language, { signedBy: string; date: string; code: string }> = {
  es: { signedBy: 'Firmado digitalmente por:', date: 'Fecha', code: 'Código de verificación' },
  en: { signedBy: 'Digitally signed by:', date: 'Date', code: 'Verification code' },
};

const VALIDATED_BY: Record<Language, string> = { es: 'Validado por', en: 'Validated by' };

/** First 10 hex digits of the unsigned document's SHA-256, uppercase, as two groups of five: easy to read aloud. */
export function verificationCode(sha256Hex: string): string {
  const head = sha256Hex.slice(0, 10).toUpperCase();
  return `${head.slice(0, 5)}-${head.slice(5)}`;
}

/** e.g. "05/03/2025 10:32 (UTC-05:00)": the clinic's local time, with the offset so it is unambiguous. */
export function formatStampTime(when: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(when, { zone: timeZone });
  return `${local.toFormat('dd/LL/yyyy HH:mm')} (UTC${local.toFormat('ZZ')})`;
}

/**
 * Registers the stamp's appearance (a form XObject with its two fonts) in the document's context and returns its
 * reference; the caller writes the new objects out as part of the incremental update.
 */
export function buildStampAppearance(context: PDFContext, text: StampText, rotation = 0): PDFRef {
  const regular = StandardFontEmbedder.for(standard(StandardFonts.Helvetica));
  const bold = StandardFontEmbedder.for(standard(StandardFonts.HelveticaBold));
  const labels = LABELS[text.language];
  const w = STAMP_WIDTH;
  const h = STAMP_HEIGHT;
  const pad = 6;
  const maxWidth = w - 2 * pad;
  const ink = rgb(0.09, 0.2, 0.4);

  const line = (font: StandardFontEmbedder, name: string, raw: string, size: number, y: number): PDFOperator[] => {
    const fitted = fit(font, encodable(font, raw), size, maxWidth);
    return drawText(font.encodeText(fitted.text), {
      color: ink,
      font: name,
      size: fitted.size,
      x: pad,
      y,
      rotate: degrees(0),
      xSkew: degrees(0),
      ySkew: degrees(0),
    });
  };

  const operators = [
    ...drawRectangle({
      x: 0.5,
      y: 0.5,
      width: w - 1,
      height: h - 1,
      borderWidth: 1,
      color: rgb(1, 1, 1),
      borderColor: ink,
      rotate: degrees(0),
      xSkew: degrees(0),
      ySkew: degrees(0),
    }),
    // With a validation the five lines sit closer, within the same box.
    ...(text.validatedBy
      ? [
          ...line(regular, 'F1', labels.signedBy, 6.5, h - 11),
          ...line(bold, 'F2', text.signer, 8.5, h - 21),
          ...line(regular, 'F1', `${labels.date}: ${formatStampTime(text.when, text.timeZone)}`, 6.5, h - 31),
          ...line(regular, 'F1', `${labels.code}: ${text.verificationCode}`, 6.5, h - 41),
          ...line(regular, 'F1', `${VALIDATED_BY[text.language]} ${text.validatedBy}`, 6.5, h - 51),
        ]
      : [
          ...line(regular, 'F1', labels.signedBy, 7, h - 13),
          ...line(bold, 'F2', text.signer, 9, h - 25),
          ...line(regular, 'F1', `${labels.date}: ${formatStampTime(text.when, text.timeZone)}`, 7, h - 37),
          ...line(regular, 'F1', `${labels.code}: ${text.verificationCode}`, 7.5, h - 49),
        ]),
  ];
  const stream = context.formXObject(operators, {
    BBox: [0, 0, w, h],
    // A rotated page would show the stamp sideways; the matrix turns it back upright within the widget.
    Matrix: rotationMatrix(rotation, w, h),
    Resources: { Font: { F1: regular.embedIntoContext(context), F2: bold.embedIntoContext(context) } },
  });
  return context.register(stream);
}

// pdf-lib's two enums of the 14 standard font names hold the same strings; its typings do not say so.
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];
function standard(name: StandardFonts): FontName {
  return name as string as FontName;
}

function rotationMatrix(rotation: number, w: number, h: number): number[] {
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      return [0, 1, -1, 0, h, 0];
    case 180:
      return [-1, 0, 0, -1, w, h];
    case 270:
      return [0, -1, 1, 0, 0, w];
    default:
      return [1, 0, 0, 1, 0, 0];
  }
}

/** Standard fonts only speak WinAnsi: "ñ" and accents stay, anything else loses its accent or becomes "?". */
function encodable(font: StandardFontEmbedder, text: string): string {
  return Array.from(text)
    .map((ch) => {
      for (const candidate of [ch, ch.normalize('NFD').replace(/\p{M}/gu, ''), '?']) {
        try {
          font.encodeText(candidate);
          return candidate;
        } catch {
          // not in WinAnsi; try the next form
        }
      }
      return '?';
    })
    .join('');
}

/** Shrinks long names down to 6 pt, then cuts them with an ellipsis, so the stamp never overflows its box. */
function fit(font: StandardFontEmbedder, text: string, size: number, maxWidth: number): { text: string; size: number } {
  let s = size;
  while (s > 6 && font.widthOfTextAtSize(text, s) > maxWidth) s -= 0.5;
  let t = text;
  while (t.length > 1 && font.widthOfTextAtSize(t, s) > maxWidth) t = `${t.slice(0, -2)}…`;
  return { text: t, size: s };
}

/** The corner from which the stamp looks for an empty spot. */
export type StampCorner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

export interface StampPlacement {
  /** 'last' (default), 'first' or a 0-based page index. */
  page?: 'first' | 'last' | number;
  /** Distance in points from the left / bottom edge of the page as the reader sees it; without them, a free spot. */
  x?: number;
  y?: number;
  /** Where the search for a free spot starts; default bottom-right. */
  corner?: StampCorner;
  /** No free spot on the page: add a signature page at the end (default), or sign without a stamp. */
  whenFull?: 'signature_page' | 'invisible';
}

const MARGIN = 18;
const GAP = 6;

/**
 * The widget rectangle in the page's user space. Placement is in what the reader sees (after /Rotate); each earlier
 * signature moves a default-placed stamp one slot up so stamps do not cover each other.
 */
export function stampRect(
  box: Box,
  rotation: number,
  slot: number,
  at: StampPlacement = {},
): [number, number, number, number] {
  const r = ((rotation % 360) + 360) % 360;
  const sideways = r === 90 || r === 270;
  const viewW = sideways ? box.height : box.width;
  const viewH = sideways ? box.width : box.height;
  const perColumn = Math.max(1, Math.floor((viewH - 2 * MARGIN + GAP) / (STAMP_HEIGHT + GAP)));
  const X = at.x ?? viewW - MARGIN - STAMP_WIDTH;
  const Y = at.y ?? MARGIN + (slot % perColumn) * (STAMP_HEIGHT + GAP);
  const corners = [
    [X, Y],
    [X + STAMP_WIDTH, Y + STAMP_HEIGHT],
  ].map(([vx = 0, vy = 0]) => toUserSpace(vx, vy, r, box));
  const xs = corners.map(([x]) => x ?? 0);
  const ys = corners.map(([, y]) => y ?? 0);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

type Box = { x: number; y: number; width: number; height: number };

function toUserSpace(vx: number, vy: number, r: number, box: Box): [number, number] {
  switch (r) {
    case 90:
      return [box.x + box.width - vy, box.y + vx];
    case 180:
      return [box.x + box.width - vx, box.y + box.height - vy];
    case 270:
      return [box.x + vy, box.y + box.height - vx];
    default:
      return [box.x + vx, box.y + vy];
  }
}
