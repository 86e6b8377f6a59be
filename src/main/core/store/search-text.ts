import type { Db } from './db';

// How people type a name, a phone or a document into a search box: without accents, in any case, with or without
// spaces, dashes and the country prefix. SQLite's LIKE only folds ASCII case, so the store keeps folded copies of what
// is searched (written with every change, see migration 23) and registers two functions for migrations and checks.

/** "Huamán Cárdenas" → "huaman cardenas": lower case, accents and other combining marks removed. */
export function foldText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** "+51 987-654 321" → "51987654321". */
export function digitsOf(value: string): string {
  return value.replace(/\D+/g, '');
}

/** Registers avisa_fold(text) and avisa_digits(text) on a connection (both null-safe and deterministic). */
export function registerSearchFunctions(db: Db): void {
  db.function('avisa_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : null));
  db.function('avisa_digits', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? digitsOf(value) : null));
}

export interface SearchTerms {
  /** `%folded text%` for the whole search. */
  like: string;
  /** Each word as `%folded word%`, as a JSON array: a name matches when it holds every word, in any order. */
  words: string;
  /** `%digits%` when the search has enough digits to be a phone or document number; otherwise null. */
  digits: string | null;
}

/**
 * A search box's text as LIKE patterns. A phone typed with its country prefix still finds a number stored without it
 * and the other way round, because stored phones are compared as their digits and contain the national number.
 */
export function searchTerms(search: string): SearchTerms {
  const escaped = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const digits = digitsOf(search);
  // A number typed with letters around it ("DNI 4587") is still a number; a name with one digit is not.
  const looksNumeric = digits.length >= 4 && digits.length >= search.replace(/\s+/g, '').length / 2;
  const words = foldText(search).split(/\s+/).filter(Boolean).map((w) => `%${escaped(w)}%`);
  return {
    like: `%${escaped(foldText(search.trim()))}%`,
    words: JSON.stringify(words),
    digits: looksNumeric ? `%${digits}%` : null,
  };
}

/** The searchable forms the store keeps beside a patient's name, document and phones (columns of migration 23). */
export function patientSearchColumns(p: {
  firstNames: string;
  lastNames: string;
  documentNumber: string;
  phoneE164: string | null;
  phoneRaw: string | null;
}): { nameFolded: string; documentFolded: string; documentDigits: string; phoneDigits: string } {
  return {
    nameFolded: foldText(`${p.firstNames} ${p.lastNames}`),
    documentFolded: foldText(p.documentNumber),
    documentDigits: digitsOf(p.documentNumber),
    // Both forms: a number typed as it was registered finds it even when it normalised differently.
    phoneDigits: `${digitsOf(p.phoneE164 ?? '')} ${digitsOf(p.phoneRaw ?? '')}`.trim(),
  };
}

/**
 * SQL true when a patient row (`alias.` before its columns, may be empty) matches the search: every word in the
 * folded name, the folded text in the document, or the digits in the document or a phone. One LIKE per word on the
 * stored columns, no function per row. The statement's parameters must include `like`, `digits` and `w0`, `w1`, …
 * from searchParams.
 */
export function patientMatches(terms: SearchTerms, alias = ''): string {
  const c = (column: string) => `${alias}${column}`;
  const words = wordsOf(terms).map((_, i) => `${c('name_folded')} LIKE @w${i} ESCAPE '\\'`);
  return `((${words.length ? words.join(' AND ') : '1'})
    OR ${c('document_folded')} LIKE @like ESCAPE '\\'
    OR (@digits IS NOT NULL AND (${c('document_digits')} LIKE @digits OR ${c('phone_digits')} LIKE @digits)))`;
}

function wordsOf(terms: SearchTerms): string[] {
  return JSON.parse(terms.words) as string[];
}

/** The named parameters patientMatches needs. */
export function searchParams(terms: SearchTerms): Record<string, string | null> {
  const params: Record<string, string | null> = { like: terms.like, digits: terms.digits };
  wordsOf(terms).forEach((w, i) => (params[`w${i}`] = w));
  return params;
}
