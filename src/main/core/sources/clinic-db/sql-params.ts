// Named parameters (`:cursor`, `:value`, `:id`) in the clinic's SQL become the driver's placeholders, so values are
// always bound and never spliced into the text. A small tokenizer keeps string literals, quoted identifiers, comments,
// PostgreSQL dollar quotes and `::` casts out of the way.

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export type Token =
  | { type: 'word'; text: string }
  | { type: 'quoted'; text: string; raw: string } // "ident" or `ident`: text is the name without its quotes
  | { type: 'string'; text: string }
  | { type: 'param'; name: string }
  | { type: 'positional'; text: string } // $1 or ?
  | { type: 'punct'; text: string }
  | { type: 'space'; text: string };

/**
 * MySQL differs in two ways that matter here: \' inside a literal does not end it, and "..." is a string, not a
 * quoted identifier (identifiers take backticks).
 */
export function tokenize(sql: string, dialect?: Dialect): Token[] {
  const mysql = dialect === 'mysql';
  const tokens: Token[] = [];
  let i = 0;
  const push = (token: Token, end: number): void => {
    tokens.push(token);
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (ch === '-' && next === '-') {
      // Comments are kept as written (the database's error positions stay right) but count as space.
      const end = sql.indexOf('\n', i);
      push({ type: 'space', text: sql.slice(i, end < 0 ? sql.length : end + 1) }, end < 0 ? sql.length : end + 1);
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      push({ type: 'space', text: sql.slice(i, end < 0 ? sql.length : end + 2) }, end < 0 ? sql.length : end + 2);
    } else if (/\s/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end] ?? '')) end++;
      push({ type: 'space', text: sql.slice(i, end) }, end);
    } else if (ch === "'" || (ch === '"' && mysql)) {
      const end = closeQuote(sql, i, ch, mysql);
      push({ type: 'string', text: sql.slice(i, end) }, end);
    } else if (ch === '"' || ch === '`') {
      const end = closeQuote(sql, i, ch, false);
      push({ type: 'quoted', text: sql.slice(i + 1, end - 1).replaceAll(ch + ch, ch), raw: sql.slice(i, end) }, end);
    } else if (ch === '$' && /[A-Za-z_$]/.test(next)) {
      // PostgreSQL dollar quoting: $tag$ ... $tag$ (or $$ ... $$).
      const tagEnd = sql.indexOf('$', i + 1);
      const tag = tagEnd > 0 ? sql.slice(i, tagEnd + 1) : '';
      if (tag && /^\$[A-Za-z_]*\$$/.test(tag)) {
        const close = sql.indexOf(tag, tagEnd + 1);
        const end = close < 0 ? sql.length : close + tag.length;
        push({ type: 'string', text: sql.slice(i, end) }, end);
      } else {
        push({ type: 'punct', text: ch }, i + 1);
      }
    } else if (ch === '$' && /\d/.test(next)) {
      let end = i + 1;
      while (/\d/.test(sql[end] ?? '')) end++;
      push({ type: 'positional', text: sql.slice(i, end) }, end);
    } else if (ch === '?') {
      push({ type: 'positional', text: '?' }, i + 1);
    } else if (ch === ':' && next === ':') {
      push({ type: 'punct', text: '::' }, i + 2);
    } else if (ch === ':' && /[A-Za-z_]/.test(next)) {
      let end = i + 1;
      while (/[A-Za-z0-9_]/.test(sql[end] ?? '')) end++;
      push({ type: 'param', name: sql.slice(i + 1, end) }, end);
    } else if (/[A-Za-z0-9_]/.test(ch)) {
      let end = i + 1;
      while (/[A-Za-z0-9_$.]/.test(sql[end] ?? '')) end++;
      push({ type: 'word', text: sql.slice(i, end) }, end);
    } else {
      push({ type: 'punct', text: ch }, i + 1);
    }
  }
  return tokens;
}

function closeQuote(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
    } else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2; // doubled quote inside the literal
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

export type ParamValue = string | number | boolean | null;

export type Bound = { ok: true; text: string; values: ParamValue[] } | { ok: false; unknown: string[] };

/**
 * Rewrites `:name` into the dialect's placeholders and lists the values in order. A query without named parameters
 * but with one positional placeholder kind (`$1` in PostgreSQL, `?` elsewhere) gets `positionalFallback` bound to
 * them, so `WHERE id > $1` works as the clinic's IT person may expect.
 */
export function bindNamed(
  sql: string,
  dialect: Dialect,
  params: Record<string, ParamValue>,
  positionalFallback: ParamValue[] = [],
): Bound {
  const tokens = tokenize(stripTrailingSemicolons(sql, dialect), dialect);
  const unknown = new Set<string>();
  const values: ParamValue[] = [];
  const pgIndex = new Map<string, number>();
  let hasNamed = false;
  let text = '';
  for (const token of tokens) {
    if (token.type !== 'param') {
      text += raw(token);
      continue;
    }
    hasNamed = true;
    if (!(token.name in params)) {
      unknown.add(token.name);
      continue;
    }
    const value = params[token.name] ?? null;
    if (dialect === 'postgres') {
      let index = pgIndex.get(token.name);
      if (index === undefined) {
        values.push(value);
        index = values.length;
        pgIndex.set(token.name, index);
      }
      text += `$${index}`;
    } else {
      values.push(value);
      text += '?';
    }
  }
  if (unknown.size > 0) return { ok: false, unknown: [...unknown] };
  if (!hasNamed && tokens.some((t) => t.type === 'positional')) {
    if (dialect === 'postgres') return { ok: true, text, values: positionalFallback };
    const count = tokens.filter((t) => t.type === 'positional').length;
    return { ok: true, text, values: Array.from({ length: count }, (_, i) => positionalFallback[i] ?? null) };
  }
  return { ok: true, text, values };
}

function raw(token: Token): string {
  switch (token.type) {
    case 'quoted':
      return token.raw;
    case 'param':
      return `:${token.name}`;
    default:
      return token.text;
  }
}

/**
 * The statement without what trails it: spaces, comments and semicolons. A trailing `-- note` would otherwise swallow
 * whatever Avisa appends (the LIMIT of "Probar consulta"), and a final `;` is not a second statement.
 */
export function stripTrailingSemicolons(sql: string, dialect?: Dialect): string {
  const tokens = tokenize(sql, dialect);
  let end = tokens.length;
  while (end > 0) {
    const t = tokens[end - 1];
    if (t?.type === 'space' || (t?.type === 'punct' && t.text === ';')) end--;
    else break;
  }
  return tokens
    .slice(0, end)
    .map((t) => (t.type === 'param' ? `:${t.name}` : t.type === 'quoted' ? t.raw : t.text))
    .join('');
}

/** True when the text holds more than one statement (a `;` followed by anything but space). */
export function hasSeveralStatements(sql: string, dialect?: Dialect): boolean {
  const tokens = tokenize(stripTrailingSemicolons(sql, dialect), dialect);
  return tokens.some((t) => t.type === 'punct' && t.text === ';');
}
