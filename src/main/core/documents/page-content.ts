import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  type PDFObject,
  type PDFPage,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
} from 'pdf-lib';

// Where a page has ink: the boxes (in the page's user space) of text, strokes, fills and images its content stream
// draws, so the stamp can go where nothing is. Not a renderer: text widths come from the font's /Widths when it has
// them and from an average glyph width otherwise, which is close enough to keep a stamp off a footer line.

export type Box = { x1: number; y1: number; x2: number; y2: number };
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** Average advance of a glyph, in text space units per unit of font size, when the font does not say. */
const AVERAGE_GLYPH = 0.6;
const MAX_FORM_DEPTH = 6;

export function drawnBoxes(page: PDFPage): Box[] {
  const boxes: Box[] = [];
  const contents = page.node.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  const data = Buffer.concat(streams.map((s) => streamBytes(page, s)));
  const resources = page.node.Resources();
  try {
    run(data, resources, IDENTITY, boxes, 0, page);
  } catch {
    // A content stream we cannot follow to its end: what was found so far still counts, and the rest of the page is
    // taken as full, so the stamp is never put over something we failed to see.
    const box = page.getCropBox();
    boxes.push({ x1: box.x, y1: box.y, x2: box.x + box.width, y2: box.y + box.height });
  }
  return boxes;
}

function streamBytes(page: PDFPage, object: PDFObject | undefined): Buffer {
  const stream = object instanceof PDFRef ? page.doc.context.lookup(object) : object;
  if (stream instanceof PDFRawStream) return Buffer.concat([Buffer.from(decodePDFRawStream(stream).decode()), Buffer.from('\n')]);
  if (stream instanceof PDFStream) return Buffer.concat([Buffer.from(stream.getContents()), Buffer.from('\n')]);
  return Buffer.alloc(0);
}

type Operand = number | string | { name: string } | Operand[] | { dict: true };

interface State {
  ctm: Matrix;
  lineWidth: number;
  /** The fill is white (or no ink): a white box is background, not content. */
  whiteFill: boolean;
  font: FontMetrics;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
  leading: number;
  rise: number;
}

interface FontMetrics {
  twoByte: boolean;
  width: (code: number) => number;
}

const DEFAULT_FONT: FontMetrics = { twoByte: false, width: () => AVERAGE_GLYPH * 1000 };

function run(data: Buffer, resources: PDFDict | undefined, base: Matrix, boxes: Box[], depth: number, page: PDFPage): void {
  const stack: State[] = [];
  let gs: State = {
    ctm: base,
    lineWidth: 1,
    whiteFill: false,
    font: DEFAULT_FONT,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    scale: 1,
    leading: 0,
    rise: 0,
  };
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let subpaths: [number, number][][] = [];
  let current: [number, number][] = [];
  const operands: Operand[] = [];

  const point = (x: number, y: number): [number, number] => apply(gs.ctm, x, y);
  const num = (i: number): number => {
    const v = operands[operands.length - i];
    return typeof v === 'number' ? v : 0;
  };
  const endPath = (): void => {
    if (current.length) subpaths.push(current);
    current = [];
  };
  const paint = (fill: boolean, stroke: boolean): void => {
    endPath();
    const pad = stroke ? Math.max(0.5, (gs.lineWidth * scaleOf(gs.ctm)) / 2) : 0;
    for (const path of subpaths) {
      if (stroke) {
        // Each segment on its own: a frame around the page leaves its inside free.
        for (let i = 1; i < path.length; i += 1) boxes.push(inflate(boundsOf([path[i - 1]!, path[i]!]), pad));
        if (path.length === 1) boxes.push(inflate(boundsOf(path), pad));
      }
      if (fill && !gs.whiteFill && path.length > 2) boxes.push(boundsOf(path));
    }
    subpaths = [];
  };
  const showText = (codes: number[], adjust: number): void => {
    const size = gs.fontSize;
    let advance = 0;
    for (const code of codes) {
      const w = (gs.font.width(code) / 1000) * size + gs.charSpacing + (code === 32 && !gs.font.twoByte ? gs.wordSpacing : 0);
      advance += w * gs.scale;
    }
    advance -= (adjust / 1000) * size * gs.scale;
    if (codes.length) {
      const m = multiply(tm, gs.ctm);
      const corners = [
        apply(m, 0, -0.25 * size + gs.rise),
        apply(m, advance, -0.25 * size + gs.rise),
        apply(m, 0, 0.9 * size + gs.rise),
        apply(m, advance, 0.9 * size + gs.rise),
      ];
      boxes.push(boundsOf(corners));
    }
    tm = multiply([1, 0, 0, 1, advance, 0], tm);
  };
  const codesOf = (s: string): number[] => {
    const bytes = Buffer.from(s, 'latin1');
    if (!gs.font.twoByte) return [...bytes];
    const out: number[] = [];
    for (let i = 0; i + 1 < bytes.length; i += 2) out.push(bytes.readUInt16BE(i));
    return out;
  };
  const nextLine = (tx: number, ty: number): void => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };

  for (const token of tokens(data)) {
    if (token.kind === 'operand') {
      operands.push(token.value);
      continue;
    }
    switch (token.op) {
      case 'q':
        stack.push({ ...gs });
        break;
      case 'Q':
        gs = stack.pop() ?? gs;
        break;
      case 'cm':
        gs.ctm = multiply([num(6), num(5), num(4), num(3), num(2), num(1)], gs.ctm);
        break;
      case 'w':
        gs.lineWidth = num(1);
        break;
      case 'g':
        gs.whiteFill = num(1) >= 0.98;
        break;
      case 'rg':
        gs.whiteFill = num(3) >= 0.98 && num(2) >= 0.98 && num(1) >= 0.98;
        break;
      case 'k':
        gs.whiteFill = num(4) <= 0.02 && num(3) <= 0.02 && num(2) <= 0.02 && num(1) <= 0.02;
        break;
      case 'sc':
      case 'scn':
        gs.whiteFill = operands.length > 0 && operands.every((o) => typeof o !== 'number' || o >= 0.98) && operands.length !== 4;
        break;
      case 'm':
        endPath();
        current = [point(num(2), num(1))];
        break;
      case 'l':
        current.push(point(num(2), num(1)));
        break;
      case 'c':
        current.push(point(num(6), num(5)), point(num(4), num(3)), point(num(2), num(1)));
        break;
      case 'v':
      case 'y':
        current.push(point(num(4), num(3)), point(num(2), num(1)));
        break;
      case 'h':
        if (current.length && current[0]) current.push(current[0]);
        break;
      case 're': {
        endPath();
        const [x, y, w, h] = [num(4), num(3), num(2), num(1)];
        subpaths.push([point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h), point(x, y)]);
        break;
      }
      case 'S':
      case 's':
        paint(false, true);
        break;
      case 'f':
      case 'F':
      case 'f*':
        paint(true, false);
        break;
      case 'B':
      case 'B*':
      case 'b':
      case 'b*':
        paint(true, true);
        break;
      case 'n':
        endPath();
        subpaths = [];
        break;
      case 'BT':
        tm = IDENTITY;
        tlm = IDENTITY;
        break;
      case 'Tf':
        gs.fontSize = num(1);
        gs.font = fontMetrics(resources, operands[operands.length - 2], page);
        break;
      case 'Tc':
        gs.charSpacing = num(1);
        break;
      case 'Tw':
        gs.wordSpacing = num(1);
        break;
      case 'Tz':
        gs.scale = num(1) / 100;
        break;
      case 'TL':
        gs.leading = num(1);
        break;
      case 'Ts':
        gs.rise = num(1);
        break;
      case 'Td':
        nextLine(num(2), num(1));
        break;
      case 'TD':
        gs.leading = -num(1);
        nextLine(num(2), num(1));
        break;
      case 'Tm':
        tlm = [num(6), num(5), num(4), num(3), num(2), num(1)];
        tm = tlm;
        break;
      case 'T*':
        nextLine(0, -gs.leading);
        break;
      case 'Tj': {
        const s = operands[operands.length - 1];
        if (typeof s === 'string') showText(codesOf(s), 0);
        break;
      }
      case "'":
      case '"': {
        if (token.op === '"') {
          gs.wordSpacing = num(3);
          gs.charSpacing = num(2);
        }
        nextLine(0, -gs.leading);
        const s = operands[operands.length - 1];
        if (typeof s === 'string') showText(codesOf(s), 0);
        break;
      }
      case 'TJ': {
        const parts = operands[operands.length - 1];
        if (Array.isArray(parts)) {
          for (const part of parts) {
            if (typeof part === 'string') showText(codesOf(part), 0);
            else if (typeof part === 'number') showText([], part);
          }
        }
        break;
      }
      case 'Do':
        drawXObject(resources, operands[operands.length - 1], gs.ctm, boxes, depth, page);
        break;
      case 'BI':
        // An inline image fills the unit square of the current matrix.
        boxes.push(boundsOf([point(0, 0), point(1, 0), point(0, 1), point(1, 1)]));
        break;
      default:
        break;
    }
    operands.length = 0;
  }
}

function drawXObject(
  resources: PDFDict | undefined,
  nameOperand: Operand | undefined,
  ctm: Matrix,
  boxes: Box[],
  depth: number,
  page: PDFPage,
): void {
  if (!nameOperand || typeof nameOperand !== 'object' || !('name' in nameOperand)) return;
  const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  const xobject = xobjects?.lookup(PDFName.of(nameOperand.name));
  if (!(xobject instanceof PDFStream)) return;
  const subtype = xobject.dict.lookup(PDFName.of('Subtype'));
  if (subtype === PDFName.of('Image')) {
    boxes.push(boundsOf([apply(ctm, 0, 0), apply(ctm, 1, 0), apply(ctm, 0, 1), apply(ctm, 1, 1)]));
    return;
  }
  if (subtype !== PDFName.of('Form')) return;
  const matrixArray = xobject.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray);
  const matrix = matrixArray ? (matrixArray.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) as Matrix) : IDENTITY;
  const m = multiply(matrix, ctm);
  if (depth >= MAX_FORM_DEPTH) {
    const bbox = xobject.dict.lookupMaybe(PDFName.of('BBox'), PDFArray)?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0));
    if (bbox && bbox.length === 4) boxes.push(boundsOf([apply(m, bbox[0]!, bbox[1]!), apply(m, bbox[2]!, bbox[3]!)]));
    return;
  }
  const formResources = xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? resources;
  run(streamBytes(page, xobject), formResources, m, boxes, depth + 1, page);
}

function fontMetrics(resources: PDFDict | undefined, nameOperand: Operand | undefined, page: PDFPage): FontMetrics {
  if (!nameOperand || typeof nameOperand !== 'object' || !('name' in nameOperand)) return DEFAULT_FONT;
  const font = resources?.lookupMaybe(PDFName.of('Font'), PDFDict)?.lookupMaybe(PDFName.of(nameOperand.name), PDFDict);
  if (!font) return DEFAULT_FONT;
  if (font.lookup(PDFName.of('Subtype')) === PDFName.of('Type0')) {
    // Composite fonts: two-byte codes (Identity-H, what most generators embed); widths default to an average.
    return { twoByte: true, width: () => AVERAGE_GLYPH * 1000 };
  }
  const widths = font.lookupMaybe(PDFName.of('Widths'), PDFArray)?.asArray();
  const first = font.lookupMaybe(PDFName.of('FirstChar'), PDFNumber)?.asNumber() ?? 0;
  if (!widths) return DEFAULT_FONT;
  const values = widths.map((w) => {
    const v = w instanceof PDFRef ? page.doc.context.lookup(w) : w;
    return v instanceof PDFNumber ? v.asNumber() : AVERAGE_GLYPH * 1000;
  });
  return { twoByte: false, width: (code) => values[code - first] ?? AVERAGE_GLYPH * 1000 };
}

// --- geometry

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function scaleOf(m: Matrix): number {
  return Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
}

function boundsOf(points: [number, number][]): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

function inflate(b: Box, by: number): Box {
  return { x1: b.x1 - by, y1: b.y1 - by, x2: b.x2 + by, y2: b.y2 + by };
}

// --- tokenizer

type Token = { kind: 'operand'; value: Operand } | { kind: 'op'; op: string };

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

function* tokens(data: Buffer): Generator<Token> {
  let i = 0;
  const arrays: Operand[][] = [];
  const emit = function* (value: Operand): Generator<Token> {
    const open = arrays[arrays.length - 1];
    if (open) open.push(value);
    else yield { kind: 'operand', value };
  };
  while (i < data.length) {
    const c = data[i]!;
    if (WHITESPACE.has(c)) {
      i += 1;
    } else if (c === 0x25) {
      while (i < data.length && data[i] !== 0x0a && data[i] !== 0x0d) i += 1;
    } else if (c === 0x28) {
      const [s, end] = literalString(data, i);
      i = end;
      yield* emit(s);
    } else if (c === 0x3c && data[i + 1] === 0x3c) {
      // A dictionary operand (marked content properties): skipped whole.
      let level = 0;
      while (i < data.length) {
        if (data[i] === 0x3c && data[i + 1] === 0x3c) {
          level += 1;
          i += 2;
        } else if (data[i] === 0x3e && data[i + 1] === 0x3e) {
          level -= 1;
          i += 2;
          if (level === 0) break;
        } else if (data[i] === 0x28) {
          i = literalString(data, i)[1];
        } else i += 1;
      }
      yield* emit({ dict: true });
    } else if (c === 0x3c) {
      const end = data.indexOf(0x3e, i);
      const hex = data.subarray(i + 1, end < 0 ? data.length : end).toString('latin1').replace(/[^0-9a-fA-F]/g, '');
      i = end < 0 ? data.length : end + 1;
      yield* emit(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1'));
    } else if (c === 0x5b) {
      arrays.push([]);
      i += 1;
    } else if (c === 0x5d) {
      const done = arrays.pop() ?? [];
      i += 1;
      yield* emit(done);
    } else if (c === 0x2f) {
      let j = i + 1;
      while (j < data.length && !WHITESPACE.has(data[j]!) && !DELIMITERS.has(data[j]!)) j += 1;
      const name = data.subarray(i + 1, j).toString('latin1').replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      i = j;
      yield* emit({ name });
    } else {
      let j = i;
      while (j < data.length && !WHITESPACE.has(data[j]!) && !DELIMITERS.has(data[j]!)) j += 1;
      if (j === i) j = i + 1; // a stray delimiter: skip it
      const word = data.subarray(i, j).toString('latin1');
      i = j;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
        yield* emit(Number(word));
      } else if (word === 'true' || word === 'false' || word === 'null') {
        yield* emit(0);
      } else if (word === 'ID') {
        // Inline image data runs to the first "EI" standing on its own.
        let k = i + 1;
        while (k < data.length - 1) {
          if (data[k] === 0x45 && data[k + 1] === 0x49 && WHITESPACE.has(data[k - 1] ?? 0x20) && (k + 2 >= data.length || WHITESPACE.has(data[k + 2]!))) break;
          k += 1;
        }
        i = k + 2;
      } else {
        yield { kind: 'op', op: word };
      }
    }
  }
}

function literalString(data: Buffer, start: number): [string, number] {
  let i = start + 1;
  let level = 1;
  const out: number[] = [];
  while (i < data.length && level > 0) {
    const c = data[i]!;
    if (c === 0x5c) {
      const n = data[i + 1];
      i += 2;
      if (n === undefined) break;
      const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };
      if (simple[n] !== undefined) out.push(simple[n]!);
      else if (n >= 0x30 && n <= 0x37) {
        let oct = n - 0x30;
        for (let k = 0; k < 2 && data[i]! >= 0x30 && data[i]! <= 0x37; k += 1, i += 1) oct = oct * 8 + (data[i]! - 0x30);
        out.push(oct & 0xff);
      } else if (n === 0x0d || n === 0x0a) {
        if (n === 0x0d && data[i] === 0x0a) i += 1;
      } else out.push(n);
      continue;
    }
    if (c === 0x28) level += 1;
    if (c === 0x29) level -= 1;
    if (level > 0) out.push(c);
    i += 1;
  }
  return [Buffer.from(out).toString('latin1'), i];
}
