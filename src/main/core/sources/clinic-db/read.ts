import { missingColumns } from './columns';
import type { ClinicDbSourceConfig } from '../../settings/clinic-db-settings';
import { maxCursor, toCursor, type CursorValue } from './cursor';
import { dbError, type ClinicDbError } from './errors';
import { normaliseAppointmentRow, normaliseResultRow } from './normalise';
import type { SourceProblem, SourceRecord } from './records';
import { inOneSession } from './one-session';
import type { ReadResult, Row, SourceGuard } from './session';
import { bindNamed, hasSeveralStatements, stripTrailingSemicolons, tokenize } from './sql-params';

export interface ReadBatch {
  records: SourceRecord[];
  /** Rows that could not become records; the cursor moves past them all the same, so one bad row never blocks. */
  problems: SourceProblem[];
  /** The cursor to store once the batch is safely handed to intake. */
  cursor: CursorValue;
  rowCount: number;
}

export type ReadOutcome = { ok: true; batch: ReadBatch } | { ok: false; error: ClinicDbError };

/** Reads the rows after `cursor` once and normalises them. Never throws: a failure is a value with its reason. */
export async function readBatch(
  config: ClinicDbSourceConfig,
  cursor: CursorValue | null,
  guard: SourceGuard = {},
): Promise<ReadOutcome> {
  const from = cursor ?? config.initialCursor;
  const rows = await runQuery(config, config.query, from, guard);
  if (!rows.ok) return rows;
  const { columns, rows: data } = rows.result;
  const missing = missingColumns(config.kind, columns, config.cursorColumn);
  if (missing.length > 0) return { ok: false, error: dbError('missing_columns', missing.join(', ')) };
  const cursorKey = config.cursorColumn.toLowerCase();
  const records: SourceRecord[] = [];
  const problems: SourceProblem[] = [];
  data.forEach((row, index) => {
    const outcome = normaliseRow(config, row, index + 1);
    if (outcome.ok) records.push(outcome.record);
    else problems.push(outcome.problem);
  });
  const next = maxCursor(from, data.map((row) => row[cursorKey]));
  return { ok: true, batch: { records, problems, cursor: next, rowCount: data.length } };
}

export interface TestQueryOutcome {
  ok: true;
  columns: string[];
  /** The first rows as display text (binary cells summarised), for the table under "Probar consulta". */
  rows: Record<string, string | null>[];
  records: SourceRecord[];
  problems: SourceProblem[];
  missingColumns: string[];
}

/**
 * "Probar consulta": runs the query once from the initial cursor, read-only, and shows the first `limit` rows, what
 * they normalise to, and which expected columns are missing — or the database's own error.
 */
export async function testQuery(
  config: ClinicDbSourceConfig,
  limit = 5,
  guard: SourceGuard = {},
): Promise<TestQueryOutcome | { ok: false; error: ClinicDbError }> {
  const outcome = await runQuery(config, config.query, config.initialCursor, guard, Math.max(1, Math.floor(limit)));
  if (!outcome.ok) return outcome;
  const { columns, rows } = outcome.result;
  const records: SourceRecord[] = [];
  const problems: SourceProblem[] = [];
  rows.forEach((row, index) => {
    const normalised = normaliseRow(config, row, index + 1);
    if (normalised.ok) records.push(normalised.record);
    else problems.push(normalised.problem);
  });
  return {
    ok: true,
    columns,
    rows: rows.map(displayRow),
    records,
    problems,
    missingColumns: missingColumns(config.kind, columns, config.cursorColumn),
  };
}

function normaliseRow(config: ClinicDbSourceConfig, row: Row, rowNumber: number) {
  return config.kind === 'results' ? normaliseResultRow(row, config, rowNumber) : normaliseAppointmentRow(row, config, rowNumber);
}

async function runQuery(
  config: ClinicDbSourceConfig,
  sql: string,
  cursor: CursorValue,
  guard: SourceGuard,
  limit?: number,
): Promise<{ ok: true; result: ReadResult } | { ok: false; error: ClinicDbError }> {
  // A friendly early answer only: safety never rests on this tokenizer (see `asDerivedTable` and the drivers).
  if (hasSeveralStatements(sql, config.connection.driver)) {
    return { ok: false, error: dbError('bad_sql', 'Only one statement is allowed.') };
  }
  if (startsAsCommand(sql, config.connection.driver)) {
    return { ok: false, error: dbError('not_read_only', 'The read query must be a SELECT.') };
  }
  const bound = bindNamed(asDerivedTable(sql, config.connection.driver, limit), config.connection.driver, { cursor }, [cursor]);
  if (!bound.ok) return { ok: false, error: dbError('unknown_parameter', bound.unknown.map((n) => `:${n}`).join(', ')) };
  return inOneSession(config, { writable: false, guard }, async (session) => ({
    ok: true as const,
    result: await session.read(bound.text, bound.values),
  }));
}

const COMMANDS =
  /^(INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT|DROP|CREATE|ALTER|TRUNCATE|COPY|GRANT|REVOKE|COMMIT|ROLLBACK|BEGIN|START|SET|CALL|DO|EXEC|EXECUTE|LOAD|ATTACH|DETACH|PRAGMA|VACUUM|REINDEX|LOCK|UNLOCK|HANDLER)$/i;

/** For the message only ("it tries to change data"): such a text would fail inside the derived table anyway. */
function startsAsCommand(sql: string, dialect: ClinicDbSourceConfig['connection']['driver']): boolean {
  const first = tokenize(sql, dialect).find((t) => t.type !== 'space');
  return first?.type === 'word' && COMMANDS.test(first.text);
}

/**
 * The clinic's query as a derived table: only a query expression parses there, so COPY … TO PROGRAM, INTO OUTFILE,
 * DDL (which MySQL commits implicitly, ending the read-only transaction) or COMMIT fail as syntax errors. The same
 * wrapper limits the rows of "Probar consulta" without editing the clinic's SQL; every supported database takes it.
 * The newline ends any line comment left inside the query.
 */
function asDerivedTable(sql: string, dialect: ClinicDbSourceConfig['connection']['driver'], limit?: number): string {
  const inner = stripTrailingSemicolons(sql, dialect);
  return `SELECT * FROM (\n${inner}\n) avisa_q${limit === undefined ? '' : ` LIMIT ${limit}`}`;
}

function displayRow(row: Row): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = null;
    else if (value instanceof Uint8Array) out[key] = `<${value.length} bytes${isPdf(value) ? ', PDF' : ''}>`;
    else out[key] = toCursor(value) === null ? String(value) : String(toCursor(value));
  }
  return out;
}

function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}
