import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  type PDFPage,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { Box } from './page-content';

// Adds a signature field, its widget and a /Sig dictionary with an empty /Contents as an INCREMENTAL UPDATE: the
// original bytes are kept as they are and new or changed objects are appended with a cross-reference section that
// points back to the previous one (/Prev). That is what keeps a lab's earlier signature valid.
//
// Why not the @signpdf placeholders: placeholder-pdf-lib re-saves the whole file (breaks earlier signatures), and
// placeholder-plain parses the file with string searches that do not understand cross-reference streams, which is
// what pdf-lib and most modern generators write. pdf-lib parses here; only the new and changed objects are
// serialized, with a classic table after a classic table and an xref stream after an xref stream.

export type OpenResult =
  | { ok: true; pdf: LoadedPdf }
  | { ok: false; code: 'invalid_pdf' | 'encrypted_pdf' | 'locked_pdf'; detail: string };

export interface LoadedPdf {
  bytes: Buffer;
  doc: PDFDocument;
  previousXref: { offset: number; kind: 'table' | 'stream'; size: number };
  /** Signature fields that already carry a signature (the lab's, an earlier Avisa run). */
  signatureCount: number;
  /**
   * DocMDP permissions of a certification signature (2: forms and signing, 3: also annotations), or null when the
   * document is not certified. P=1 (no change at all) never opens.
   */
  certification: 2 | 3 | null;
  /** Objects numbered from here on are new in this update. */
  firstNewObject: number;
  /** Existing objects the update rewrites (the page tree when a signature page is added, then the signing). */
  changed: Map<number, PDFRef>;
}

export interface SignatureFieldOptions {
  /** Bytes reserved for the CMS; /Contents holds twice as many hex digits. */
  signatureBytes: number;
  /** The claimed signing time, in the /M entry (PAdES: not as a CMS attribute). */
  signingTime: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  signerName?: string;
  /** A document timestamp (PAdES B-LTA): /Type /DocTimeStamp, SubFilter ETSI.RFC3161, no signer entries. */
  documentTimestamp?: boolean;
  /** Draws the visible stamp; without it the signature is invisible. */
  appearance?: {
    page: PDFPage;
    /** Widget rectangle in the page's user space: [x1, y1, x2, y2]. */
    rect: [number, number, number, number];
    build: () => PDFRef;
  };
}

const HEADER_WINDOW = 1024;
/**
 * How far from the end the last `startxref … %%EOF` is looked for. Readers look well beyond the 1,024 bytes the spec
 * suggests (qpdf and poppler read a file with kilobytes of padding after it); 1 MiB bounds the search.
 */
const TAIL_WINDOW = 1 << 20;

export async function openPdf(input: Uint8Array): Promise<OpenResult> {
  let bytes = Buffer.from(input);
  const header = bytes.subarray(0, HEADER_WINDOW).indexOf('%PDF-');
  if (header < 0) return { ok: false, code: 'invalid_pdf', detail: 'no %PDF- header' };

  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    // pdf-lib is compiled to ES5, where `instanceof` does not work for Error subclasses: its message tells.
    if (/is encrypted/.test(err instanceof Error ? err.message : '')) {
      return { ok: false, code: 'encrypted_pdf', detail: 'encrypted' };
    }
    return { ok: false, code: 'invalid_pdf', detail: err instanceof Error ? err.message : String(err) };
  }
  if (doc.isEncrypted) return { ok: false, code: 'encrypted_pdf', detail: 'encrypted' };
  let pageCount: number;
  try {
    pageCount = doc.getPageCount();
  } catch (err) {
    const detail = `no page tree (${err instanceof Error ? err.message : String(err)})`;
    return { ok: false, code: 'invalid_pdf', detail };
  }
  if (pageCount === 0) return { ok: false, code: 'invalid_pdf', detail: 'no pages' };

  const signatureCount = countSignatures(doc);
  // A file cut short (a copy still in progress, a broken download) has no end-of-file marker: refuse it rather than
  // repair it, since what is missing may be part of the result.
  if (!/startxref\s+\d+\s+%%EOF/.test(tail(bytes))) {
    return { ok: false, code: 'invalid_pdf', detail: 'incomplete file: no %%EOF marker' };
  }
  let previousXref = findPreviousXref(bytes);
  if (!previousXref || header > 0) {
    // A damaged cross-reference (or junk before the header) is repaired by writing the file out again — harmless
    // for an unsigned document, but it would break an existing signature, so a signed one is refused instead.
    if (signatureCount > 0) {
      return { ok: false, code: 'invalid_pdf', detail: 'signed PDF whose structure would need repairing' };
    }
    bytes = Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
    previousXref = findPreviousXref(bytes);
    if (!previousXref) return { ok: false, code: 'invalid_pdf', detail: 'cross-reference could not be repaired' };
  }
  const permissions = docMdpPermissions(doc);
  if (permissions === 1) return { ok: false, code: 'locked_pdf', detail: 'DocMDP P=1' };
  // New objects are numbered after everything the previous sections declared, free entries included.
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, previousXref.size - 1);
  return {
    ok: true,
    pdf: {
      bytes,
      doc,
      previousXref,
      signatureCount,
      certification: permissions,
      firstNewObject: doc.context.largestObjectNumber + 1,
      changed: new Map(),
    },
  };
}

/** The incremental update with the signature placeholder appended; earlier bytes are untouched. */
export function appendSignatureField(pdf: LoadedPdf, options: SignatureFieldOptions): Buffer {
  const { doc } = pdf;
  const context = doc.context;
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new Error('the trailer has no catalog reference');
  const changed = pdf.changed;
  const touch = (ref: PDFRef): void => void changed.set(ref.objectNumber, ref);

  const sigRef = context.nextRef();
  const page = options.appearance?.page ?? doc.getPage(0);
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of(uniqueFieldName(doc)),
    V: sigRef,
    P: page.ref,
    F: 132, // Print + Locked
    Rect: options.appearance?.rect ?? [0, 0, 0, 0],
  });
  if (options.appearance) widget.set(PDFName.of('AP'), context.obj({ N: options.appearance.build() }));
  const widgetRef = context.register(widget);

  // The page lists the widget among its annotations.
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    context.lookup(annots, PDFArray).push(widgetRef);
    touch(annots);
  } else if (annots instanceof PDFArray) {
    annots.push(widgetRef);
    touch(page.ref);
  } else {
    page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
    touch(page.ref);
  }

  // The catalog's AcroForm lists the field; SigFlags 3 = signatures exist, append only.
  const catalog = doc.catalog;
  const formEntry = catalog.get(PDFName.of('AcroForm'));
  let form: PDFDict;
  if (formEntry instanceof PDFRef) {
    form = context.lookup(formEntry, PDFDict);
    touch(formEntry);
  } else if (formEntry instanceof PDFDict) {
    form = formEntry;
    touch(catalogRef);
  } else {
    form = context.obj({});
    catalog.set(PDFName.of('AcroForm'), context.register(form));
    touch(catalogRef);
  }
  const fields = form.get(PDFName.of('Fields'));
  if (fields instanceof PDFRef) {
    context.lookup(fields, PDFArray).push(widgetRef);
    touch(fields);
  } else if (fields instanceof PDFArray) {
    fields.push(widgetRef);
  } else {
    form.set(PDFName.of('Fields'), context.obj([widgetRef]));
  }
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  // With NeedAppearances readers rebuild every field's appearance, and a signature field's rebuilt appearance is
  // empty: the stamp would not show. The form's own fields keep the appearances their producer wrote.
  form.delete(PDFName.of('NeedAppearances'));

  // The raw /Sig dictionary is written by hand so the ByteRange and Contents placeholders sit exactly where @signpdf
  // looks for them.
  return writeIncrementalUpdate(pdf, [[sigRef, Buffer.from(signatureDictionary(options), 'latin1')]]);
}

/**
 * Appends the objects changed since opening, every object created since, and `raw` objects given as bytes, with a
 * cross-reference section of the kind the file already has and a trailer that points back to the previous one.
 */
export function writeIncrementalUpdate(pdf: LoadedPdf, raw: [PDFRef, Buffer][] = []): Buffer {
  const { doc, bytes, previousXref } = pdf;
  const context = doc.context;
  const firstNew = pdf.firstNewObject;
  const changed = pdf.changed;
  const rawNumbers = new Set(raw.map(([ref]) => ref.objectNumber));
  const parts: Buffer[] = [];
  let offset = bytes.length;
  const offsets = new Map<number, { offset: number; gen: number }>();
  const emit = (chunk: Buffer): void => {
    parts.push(chunk);
    offset += chunk.length;
  };
  // The update starts on a fresh line whatever the previous file ended with.
  emit(Buffer.from('\n'));
  const writeObject = (ref: PDFRef, body: Buffer): void => {
    offsets.set(ref.objectNumber, { offset, gen: ref.generationNumber });
    const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    emit(Buffer.concat([head, body, Buffer.from('\nendobj\n')]));
  };
  for (const ref of changed.values()) writeObject(ref, serialize(context.lookup(ref)));
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew && !rawNumbers.has(ref.objectNumber) && !changed.has(ref.objectNumber)) {
      writeObject(ref, serialize(object));
    }
  }
  for (const [ref, body] of raw) writeObject(ref, body);

  const xrefOffset = offset;
  const trailer = trailerEntries(doc, previousXref);
  if (previousXref.kind === 'table') {
    const size = Math.max(previousXref.size, context.largestObjectNumber + 1);
    emit(Buffer.from(`${xrefTable(offsets)}trailer\n<<\n/Size ${size}\n${trailer}>>\n`, 'latin1'));
  } else {
    const xrefRef = context.nextRef();
    offsets.set(xrefRef.objectNumber, { offset: xrefOffset, gen: 0 });
    const size = Math.max(previousXref.size, context.largestObjectNumber + 1);
    emit(xrefStream(xrefRef, offsets, `/Size ${size}\n${trailer}`));
  }
  emit(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`));
  return Buffer.concat([bytes, ...parts]);
}

/**
 * Long-term validation data (PAdES B-LT): the catalog's /DSS with every certificate, OCSP response and CRL, and a /VRI
 * entry per signature naming which of them validate it. Merged into a /DSS an earlier update already wrote.
 */
export function appendDss(
  pdf: LoadedPdf,
  data: { certs: Buffer[]; ocsps: Buffer[]; crls: Buffer[]; vri: { key: string; certs: Buffer[]; ocsps: Buffer[]; crls: Buffer[] }[] },
): Buffer {
  const { doc } = pdf;
  const context = doc.context;
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new Error('the trailer has no catalog reference');
  const existing = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const dss = existing ?? context.obj({ Type: 'DSS' });
  const refs = new Map<string, PDFRef>();
  const streamOf = (der: Buffer): PDFRef => {
    const key = der.toString('base64');
    const known = refs.get(key);
    if (known) return known;
    const ref = context.register(context.flateStream(der));
    refs.set(key, ref);
    return ref;
  };
  const list = (name: string, items: Buffer[], into: PDFDict): void => {
    if (!items.length) return;
    const array = into.lookupMaybe(PDFName.of(name), PDFArray) ?? context.obj([]);
    for (const ref of items.map(streamOf)) {
      if (!array.asArray().some((r) => r instanceof PDFRef && r.objectNumber === ref.objectNumber)) array.push(ref);
    }
    into.set(PDFName.of(name), array);
  };
  list('Certs', data.certs, dss);
  list('OCSPs', data.ocsps, dss);
  list('CRLs', data.crls, dss);
  const vri = dss.lookupMaybe(PDFName.of('VRI'), PDFDict) ?? context.obj({});
  for (const entry of data.vri) {
    const item = context.obj({});
    list('Cert', entry.certs, item);
    list('OCSP', entry.ocsps, item);
    list('CRL', entry.crls, item);
    vri.set(PDFName.of(entry.key), item);
  }
  dss.set(PDFName.of('VRI'), vri);
  const dssEntry = doc.catalog.get(PDFName.of('DSS'));
  if (dssEntry instanceof PDFRef) pdf.changed.set(dssEntry.objectNumber, dssEntry);
  else {
    doc.catalog.set(PDFName.of('DSS'), context.register(dss));
    pdf.changed.set(catalogRef.objectNumber, catalogRef);
  }
  return writeIncrementalUpdate(pdf);
}

function serialize(object: PDFObject | undefined): Buffer {
  if (!object) throw new Error('a referenced object is missing');
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return Buffer.from(out);
}

function signatureDictionary(options: SignatureFieldOptions): string {
  const placeholder = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  if (options.documentTimestamp) {
    return (
      '<<\n/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n' +
      `/ByteRange [0 ${placeholder} ${placeholder} ${placeholder}]\n` +
      `/Contents <${'0'.repeat(options.signatureBytes * 2)}>\n` +
      '/Prop_Build << /App << /Name /Avisa >> >>\n>>'
    );
  }
  const text = (key: string, value: string | undefined): string =>
    value ? `/${key} ${PDFHexString.fromText(value).toString()}\n` : '';
  return (
    '<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n' +
    `/SubFilter /${SUBFILTER_ETSI_CADES_DETACHED}\n` +
    `/ByteRange [0 ${placeholder} ${placeholder} ${placeholder}]\n` +
    `/Contents <${'0'.repeat(options.signatureBytes * 2)}>\n` +
    `/M ${PDFString.of(options.signingTime).toString()}\n` +
    text('Name', options.signerName) +
    text('Reason', options.reason) +
    text('Location', options.location) +
    text('ContactInfo', options.contactInfo) +
    '/Prop_Build << /App << /Name /Avisa >> >>\n>>'
  );
}

/** Root, Info, ID and Prev for the new trailer (or xref stream dictionary). */
function trailerEntries(doc: PDFDocument, previous: LoadedPdf['previousXref']): string {
  const { Root, Info, ID } = doc.context.trailerInfo;
  let entries = `/Root ${String(Root)}\n`;
  if (Info) entries += `/Info ${String(Info)}\n`;
  // The first ID identifies the document and stays; the second changes with every version. Same here: enough.
  if (ID) entries += `/ID ${String(ID)}\n`;
  return `${entries}/Prev ${previous.offset}\n`;
}

function xrefTable(offsets: Map<number, { offset: number; gen: number }>): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let out = 'xref\n';
  for (const run of runs(numbers)) {
    out += `${run[0]} ${run.length}\n`;
    for (const n of run) {
      const entry = offsets.get(n);
      if (!entry) continue;
      // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, 'n', two-byte end of line.
      out += `${String(entry.offset).padStart(10, '0')} ${String(entry.gen).padStart(5, '0')} n\r\n`;
    }
  }
  return out;
}

function xrefStream(ref: PDFRef, offsets: Map<number, { offset: number; gen: number }>, trailer: string): Buffer {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const rows = numbers.map((n) => {
    const entry = offsets.get(n) ?? { offset: 0, gen: 0 };
    if (entry.offset > 0xffffffff) throw new Error('PDF too large for a 4-byte cross-reference offset');
    const row = Buffer.alloc(7);
    row.writeUInt8(1, 0);
    row.writeUInt32BE(entry.offset, 1);
    row.writeUInt16BE(entry.gen, 5);
    return row;
  });
  const data = Buffer.concat(rows);
  const index = runs(numbers)
    .map((run) => `${run[0]} ${run.length}`)
    .join(' ');
  const dict = `<<\n/Type /XRef\n/W [1 4 2]\n/Index [${index}]\n${trailer}/Length ${data.length}\n>>`;
  return Buffer.concat([
    Buffer.from(`${ref.objectNumber} 0 obj\n${dict}\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream\nendobj\n'),
  ]);
}

function runs(sorted: number[]): number[][] {
  const out: number[][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}

/**
 * The last cross-reference section: where `startxref` points, whether it is a table or a stream, and its /Size.
 * undefined when the pointer is missing or does not land on a cross-reference section.
 */
function findPreviousXref(bytes: Buffer): LoadedPdf['previousXref'] | undefined {
  // The last marker wins (some generators leave stray bytes or padding after it).
  const match = [...tail(bytes).matchAll(/startxref\s+(\d+)\s+%%EOF/g)].pop();
  if (!match?.[1]) return undefined;
  const offset = Number(match[1]);
  if (offset <= 0 || offset >= bytes.length) return undefined;
  const at = bytes.subarray(offset, offset + 64).toString('latin1');
  let kind: 'table' | 'stream';
  let dictText: string;
  if (/^\s*xref\b/.test(at)) {
    kind = 'table';
    const trailerAt = bytes.indexOf('trailer', offset);
    if (trailerAt < 0) return undefined;
    dictText = bytes.subarray(trailerAt, bytes.indexOf('startxref', trailerAt)).toString('latin1');
  } else {
    if (!/^\s*\d+\s+\d+\s+obj\b/.test(at)) return undefined;
    // pdf-lib consumes xref streams while parsing, so the dictionary is read from the bytes.
    const end = bytes.indexOf('stream', offset);
    dictText = bytes.subarray(offset, end < 0 ? offset + 4096 : end).toString('latin1');
    if (!/\/Type\s*\/XRef/.test(dictText)) return undefined;
    kind = 'stream';
  }
  const size = /\/Size\s+(\d+)/.exec(dictText)?.[1];
  if (!size) return undefined;
  return { offset, kind, size: Number(size) };
}

/** Fields (with kids) whose /V is a signature dictionary. */
function countSignatures(doc: PDFDocument): number {
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const seen = new Set<PDFObject>();
  const walk = (entries: PDFArray | undefined): number => {
    let count = 0;
    for (let i = 0; i < (entries?.size() ?? 0); i += 1) {
      const field = entries?.lookup(i);
      if (!(field instanceof PDFDict) || seen.has(field)) continue;
      seen.add(field);
      const isSig = field.lookup(PDFName.of('FT')) === PDFName.of('Sig');
      if (isSig && field.lookup(PDFName.of('V')) instanceof PDFDict) count += 1;
      count += walk(field.lookupMaybe(PDFName.of('Kids'), PDFArray));
    }
    return count;
  };
  return walk(form?.lookupMaybe(PDFName.of('Fields'), PDFArray));
}

function tail(bytes: Buffer): string {
  return bytes.subarray(Math.max(0, bytes.length - TAIL_WINDOW)).toString('latin1');
}

/**
 * The permissions of a certification signature (catalog /Perms /DocMDP): 1 allows no change at all, not even another
 * signature; 2 allows filling forms and signing; 3 also annotations. A DocMDP reference without P means 2.
 */
function docMdpPermissions(doc: PDFDocument): 1 | 2 | 3 | null {
  const perms = doc.catalog.lookupMaybe(PDFName.of('Perms'), PDFDict);
  const certification = perms?.lookupMaybe(PDFName.of('DocMDP'), PDFDict);
  if (!certification) return null;
  const references = certification.lookupMaybe(PDFName.of('Reference'), PDFArray);
  let level: 1 | 2 | 3 = 2;
  for (let i = 0; i < (references?.size() ?? 0); i += 1) {
    const ref = references?.lookup(i);
    if (!(ref instanceof PDFDict) || ref.lookup(PDFName.of('TransformMethod')) !== PDFName.of('DocMDP')) continue;
    const p = ref.lookupMaybe(PDFName.of('TransformParams'), PDFDict)?.lookupMaybe(PDFName.of('P'), PDFNumber)?.asNumber();
    if (p === 1 || p === 3) level = p;
  }
  return level;
}

/** Rectangles of the page's annotations (an earlier signature's stamp, form fields, notes), in user space. */
export function annotationBoxes(page: PDFPage): Box[] {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const boxes: Box[] = [];
  for (let i = 0; i < (annots?.size() ?? 0); i += 1) {
    const annot = annots?.lookup(i);
    if (!(annot instanceof PDFDict)) continue;
    const flags = annot.lookupMaybe(PDFName.of('F'), PDFNumber)?.asNumber() ?? 0;
    if (flags & 2) continue; // Hidden
    const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray)?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0));
    if (!rect || rect.length !== 4) continue;
    const [a = 0, b = 0, c = 0, d = 0] = rect;
    if (a === c || b === d) continue; // an invisible signature
    boxes.push({ x1: Math.min(a, c), y1: Math.min(b, d), x2: Math.max(a, c), y2: Math.max(b, d) });
  }
  return boxes;
}

/**
 * Adds an empty page at the end, the size of the last one, for the stamp when no page has room for it. Only the page
 * tree's nodes on the way to the new page change; they are written again by the update.
 */
export function addSignaturePage(pdf: LoadedPdf): PDFPage {
  const { doc } = pdf;
  const last = doc.getPage(doc.getPageCount() - 1);
  const { width, height } = last.getMediaBox();
  const rotated = last.getRotation().angle % 180 !== 0;
  const page = doc.addPage(rotated ? [height, width] : [width, height]);
  let parent = page.node.get(PDFName.of('Parent'));
  while (parent instanceof PDFRef) {
    pdf.changed.set(parent.objectNumber, parent);
    const node = doc.context.lookup(parent, PDFDict);
    const kids = node.get(PDFName.of('Kids'));
    if (kids instanceof PDFRef) pdf.changed.set(kids.objectNumber, kids);
    parent = node.get(PDFName.of('Parent'));
  }
  return page;
}

function uniqueFieldName(doc: PDFDocument): string {
  const names = new Set<string>();
  const fields = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  for (let i = 0; i < (fields?.size() ?? 0); i += 1) {
    const field = fields?.lookup(i);
    const t = field instanceof PDFDict ? field.lookup(PDFName.of('T')) : undefined;
    if (t instanceof PDFString || t instanceof PDFHexString) names.add(t.decodeText());
  }
  let n = 1;
  while (names.has(`Avisa${n}`)) n += 1;
  return `Avisa${n}`;
}
