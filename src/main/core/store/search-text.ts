import type { Db } from './db';

// How people type a name, a phone or a document into a search box: without accents, in any case, with or without
// spaces, dashes and the country prefix. SQLite's LIKE only folds ASCII case, so the store registers two functions that
// queries apply to both sides.

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

/**
 * SQL true when the folded `text` holds every word of @words ("huaman jose" finds "José Huamán Quispe").
 * The statement's parameters must include `words` from searchTerms.
 */
export function holdsEveryWord(text: string): string {
  return `NOT EXISTS (SELECT 1 FROM json_each(@words) w WHERE avisa_fold(COALESCE(${text}, '')) NOT LIKE w.value ESCAPE '\\')`;
}
