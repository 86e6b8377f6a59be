import { z } from 'zod';
import type { DocumentType, ResultKind } from '../../../shared/domain';
import type { IncomingPatient } from '../intake/incoming-result';

// What a dropped file says about itself: its name read through the site's pattern, and an optional JSON sidecar.

export interface FileMetadata {
  patient: IncomingPatient;
  /** The kind word as written, when it named no known kind. */
  unknownKind?: string;
  kind?: ResultKind;
  title?: string;
  accessionNumber?: string;
  studyUid?: string;
  approvedBy?: string;
  approvedAt?: number;
}

const tokens = ['documentNumber', 'documentType', 'accession', 'kind', 'title', 'studyUid'] as const;
type Token = (typeof tokens)[number];

// Each token matches only what it can hold, so separators stay unambiguous: "12345678_ACC_7_resultado.pdf" reads
// as accession "ACC_7" because a kind is letters only and a document number has no separators.
const tokenPatterns: Record<Token, string> = {
  documentNumber: '[A-Za-z0-9]+',
  documentType: '[A-Za-z.]+',
  accession: '.+?',
  kind: '\\p{L}+',
  title: '.+?',
  studyUid: '[0-9.]+',
};

export type CompiledPattern = { ok: true; regex: RegExp; tokens: Token[] } | { ok: false; detail: string };

/** `{documentNumber}_{accession}_{kind}.pdf` → an anchored, case-insensitive expression with one group per token. */
export function compilePattern(pattern: string): CompiledPattern {
  const found: Token[] = [];
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(/\{([A-Za-z]+)\}/g)) {
    const token = m[1] as Token;
    if (!tokens.includes(token)) return { ok: false, detail: `unknown token {${m[1] ?? ''}}` };
    if (found.includes(token)) return { ok: false, detail: `token {${token}} appears twice` };
    source += escape(pattern.slice(last, m.index)) + `(${tokenPatterns[token]})`;
    found.push(token);
    last = m.index + m[0].length;
  }
  source += escape(pattern.slice(last));
  if (found.length === 0) return { ok: false, detail: 'the pattern has no {token}' };
  return { ok: true, regex: new RegExp(`^${source}$`, 'iu'), tokens: found };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The metadata in a file name, or null when the name does not follow the pattern. */
export function parseFileName(name: string, pattern: CompiledPattern): FileMetadata | null {
  if (!pattern.ok) return null;
  const m = pattern.regex.exec(name);
  if (!m) return null;
  const value = (token: Token): string | undefined => {
    const index = pattern.tokens.indexOf(token);
    return index < 0 ? undefined : m[index + 1]?.trim() || undefined;
  };
  const meta: FileMetadata = { patient: {} };
  const documentNumber = value('documentNumber');
  if (documentNumber) meta.patient.documentNumber = documentNumber;
  const type = value('documentType');
  const documentType = type ? documentTypeOf(type) : undefined;
  if (documentType) meta.patient.documentType = documentType;
  applyKind(meta, value('kind'));
  // In file names spaces are often written as underscores.
  const title = value('title')?.replace(/_+/g, ' ').trim();
  if (title) meta.title = title;
  const accession = value('accession');
  if (accession) meta.accessionNumber = accession;
  const studyUid = value('studyUid');
  if (studyUid) meta.studyUid = studyUid;
  return meta;
}

const kindWords: Record<string, ResultKind> = {
  resultado: 'result',
  resultados: 'result',
  result: 'result',
  results: 'result',
  certificado: 'certificate',
  certificados: 'certificate',
  certificate: 'certificate',
  constancia: 'attestation',
  constancias: 'attestation',
  attestation: 'attestation',
  recibo: 'receipt',
  recibos: 'receipt',
  receipt: 'receipt',
};

/** resultado/result, certificado, constancia, recibo; without regard to case or accents. */
export function kindOf(word: string): ResultKind | undefined {
  return kindWords[fold(word)];
}

function applyKind(meta: FileMetadata, word: string | undefined): void {
  if (!word) return;
  const kind = kindOf(word);
  if (kind) meta.kind = kind;
  else meta.unknownKind = word;
}

export function documentTypeOf(word: string): DocumentType | undefined {
  const w = fold(word).replace(/[^a-z]/g, '');
  if (w === 'dni') return 'DNI';
  if (w === 'ce' || w === 'carnetdeextranjeria' || w === 'carne') return 'CE';
  if (w === 'pasaporte' || w === 'pas' || w === 'passport' || w === 'pp') return 'PASAPORTE';
  return undefined;
}

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

const sidecarSchema = z.object({
  documentNumber: text.optional(),
  documentType: z.string().optional(),
  medicalRecordNumber: text.optional(),
  firstNames: z.string().optional(),
  lastNames: z.string().optional(),
  phone: text.optional(),
  consent: z.boolean().optional(),
  title: z.string().optional(),
  kind: z.string().optional(),
  accession: text.optional(),
  accessionNumber: text.optional(),
  studyUid: z.string().optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.union([z.string(), z.number()]).optional(),
});

export type SidecarResult = { ok: true; meta: FileMetadata } | { ok: false; detail: string };

/** A `<name>.json` beside the PDF: the lab's export with the patient's data. */
export function parseSidecar(json: string): SidecarResult {
  let value: unknown;
  try {
    // Windows tools often write a byte-order mark.
    value = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, detail: `JSON inválido: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = sidecarSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, detail: parsed.error.issues.map((i) => `${i.path.join('.') || '·'}: ${i.message}`).join('; ') };
  }
  const s = parsed.data;
  const meta: FileMetadata = { patient: {} };
  const set = <K extends keyof IncomingPatient>(key: K, v: IncomingPatient[K] | undefined | '') => {
    if (v !== undefined && v !== '') meta.patient[key] = v;
  };
  set('documentNumber', s.documentNumber);
  set('documentType', s.documentType ? documentTypeOf(s.documentType) : undefined);
  set('medicalRecordNumber', s.medicalRecordNumber);
  set('firstNames', s.firstNames?.trim());
  set('lastNames', s.lastNames?.trim());
  set('phone', s.phone);
  set('consent', s.consent);
  applyKind(meta, s.kind);
  if (s.title?.trim()) meta.title = s.title.trim();
  const accession = s.accession || s.accessionNumber;
  if (accession) meta.accessionNumber = accession;
  if (s.studyUid?.trim()) meta.studyUid = s.studyUid.trim();
  if (s.approvedBy?.trim()) meta.approvedBy = s.approvedBy.trim();
  if (s.approvedAt !== undefined) {
    const at = typeof s.approvedAt === 'number' ? s.approvedAt : Date.parse(s.approvedAt);
    if (!Number.isFinite(at)) return { ok: false, detail: `approvedAt: fecha no reconocida (${String(s.approvedAt)})` };
    meta.approvedAt = at;
  }
  if (s.documentType && !meta.patient.documentType) {
    return { ok: false, detail: `documentType: tipo de documento desconocido (${s.documentType})` };
  }
  return { ok: true, meta };
}

/** The sidecar completes and overrides what the file name said. */
export function mergeMetadata(fromName: FileMetadata | null, fromSidecar: FileMetadata | null): FileMetadata | null {
  if (!fromName) return fromSidecar;
  if (!fromSidecar) return fromName;
  const merged: FileMetadata = { ...fromName, ...fromSidecar, patient: { ...fromName.patient, ...fromSidecar.patient } };
  if (fromSidecar.kind) delete merged.unknownKind;
  return merged;
}
