import type { Row } from './session';

/** Result-set keys in lower case: PostgreSQL folds unquoted aliases, MySQL and SQLite keep what was written. */
export function lowerKeys(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key.toLowerCase()] = value;
  return out;
}
