import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallState } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';

/** What every review list of refused input shows of a row. */
export interface RefusedRow {
  id: number;
  receivedAt: number;
  reason: string;
}

interface RefusedListProps<Row extends RefusedRow> {
  /** `data-testid` of the list. */
  testId: string;
  /** Its rows, reasons, details, buttons and outcome are `<itemTestId>-row`, `-reason`, `-detail`, `-retry`, `-outcome`. */
  itemTestId: string;
  /** Where the column, button and outcome texts live (`when`, `reason`, `retry`, `taken`, `stillRefused`). */
  texts: 'hl7.refused' | 'clinicDb.refused';
  title: string;
  /** Said when nothing waits. */
  none: string;
  /** Null while loading. */
  rows: Row[] | undefined;
  list: Pick<CallState<unknown>, 'error' | 'reload'>;
  /** The column that says what was refused (a message, an appointment, a result row). */
  what: { header: string; cell: (row: Row) => ReactNode };
  /** For IT, under the reason: what exactly the input held, when known. */
  detail?: (row: Row) => string | null;
  /** Processes the row again: taken, or still refused with the newer reason. */
  retry: (id: number) => Promise<{ taken: boolean; reason: string | null }>;
}

/**
 * A review list of refused input (HL7 messages, clinic-database appointments): when it came, what it was, why it was
 * refused, and "Procesar de nuevo" once the reason is fixed, with what came of it.
 */
export function RefusedList<Row extends RefusedRow>({ testId, itemTestId, texts, title, none, rows, list, what, detail, retry }: RefusedListProps<Row>) {
  const { t } = useTranslation();
  const f = useFormat();
  const { run, busy, error } = useFormAction();
  const [outcome, setOutcome] = useState<string | null>(null);

  const again = async (id: number): Promise<void> => {
    const done = await run(() => retry(id));
    if (!done) return;
    setOutcome(done.taken ? t(`${texts}.taken`) : t(`${texts}.stillRefused`, { reason: done.reason ?? '' }));
    list.reload();
  };

  const columns: Column<Row>[] = [
    { key: 'when', header: t(`${texts}.when`), cell: (r) => f.moment(r.receivedAt) },
    { key: 'what', header: what.header, cell: what.cell },
    {
      key: 'reason',
      header: t(`${texts}.reason`),
      cell: (r) => {
        const technical = detail?.(r);
        return (
          <>
            {r.reason}
            {technical && (
              <small className="hint details" data-testid={`${itemTestId}-detail`}>
                <br />
                {technical}
              </small>
            )}
          </>
        );
      },
      testId: `${itemTestId}-reason`,
    },
    {
      key: 'retry',
      header: null,
      cell: (r) => (
        <button type="button" disabled={busy} onClick={() => void again(r.id)} data-testid={`${itemTestId}-retry`}>
          {t(`${texts}.retry`)}
        </button>
      ),
    },
  ];

  return (
    <div className="span-all" data-testid={testId}>
      <h4>{title}</h4>
      <ErrorNote error={error} />
      {outcome && (
        <p className="hint" role="status" data-testid={`${itemTestId}-outcome`}>
          {outcome}
        </p>
      )}
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        rowProps={() => ({ 'data-testid': `${itemTestId}-row` })}
        empty={none}
        error={list.error}
        onRetry={list.reload}
        framed={false}
      />
    </div>
  );
}
