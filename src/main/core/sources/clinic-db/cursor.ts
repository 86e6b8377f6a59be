// The cursor is the largest value of the configured column read so far, kept as the database returned it (integer ids
// as numbers or exact decimal text, timestamps as the database's text) so it binds back without loss.

export type CursorValue = string | number;

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A row's cursor cell as a cursor value; null for SQL NULL or a type that cannot order (blobs). */
export function toCursor(cell: unknown): CursorValue | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'string' && cell.length > 0) return cell;
  if (cell instanceof Date && !Number.isNaN(cell.getTime())) return cell.toISOString();
  return null;
}

/**
 * Orders two cursor values: integers exactly (as BigInt, ids beyond 2^53 included), other numbers numerically, and
 * text as text — the databases' timestamp text (YYYY-MM-DD hh:mm:ss…) sorts correctly as text.
 */
export function compareCursor(a: CursorValue, b: CursorValue): number {
  const sa = String(a);
  const sb = String(b);
  if (INTEGER.test(sa) && INTEGER.test(sb)) {
    const x = BigInt(sa);
    const y = BigInt(sb);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (NUMBER.test(sa) && NUMBER.test(sb)) return Number(sa) - Number(sb);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function maxCursor(current: CursorValue, cells: unknown[]): CursorValue {
  let max = current;
  for (const cell of cells) {
    const value = toCursor(cell);
    if (value !== null && compareCursor(value, max) > 0) max = value;
  }
  return max;
}
