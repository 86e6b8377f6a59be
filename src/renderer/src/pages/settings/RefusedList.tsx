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
  /** `data-testid` of the list; its rows, reasons, buttons and outcome are `<testId>-row`, `-reason`, `-retry`, `-outcome`. */
  testId: string;
  /** Where its texts live (`title`, `none`, `when`, `reason`, `retry`, `taken`, `stillRefused`). */
  texts: 'hl7.refused' | 'clinicDb.refused';
  list: CallState<Row[]>;
  /** The column that says what was refused (a message, an appointment). */
  what: { header: string; cell: (row: Row) => ReactNode };
  /** Processes the row again: taken, or still refused with the newer reason. */
  retry: (id: number) => Promise<{ taken: boolean; reason: string | null }>;
}

/**
 * A review list of refused input (HL7 messages, clinic-database appointments): when it came, what it was, why it was
 * refused, and "Procesar de nuevo" once the reason is fixed, with what came of it.
 */
export function RefusedList<Row extends RefusedRow>({ testId, texts, list, what, retry }: RefusedListProps<Row>) {
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
    { key: 'reason', header: t(`${texts}.reason`), cell: (r) => r.reason, testId: `${testId}-reason` },
    {
      key: 'retry',
      header: null,
      cell: (r) => (
        <button type="button" disabled={busy} onClick={() => void again(r.id)} data-testid={`${testId}-retry`}>
          {t(`${texts}.retry`)}
        </button>
      ),
    },
  ];

  return (
    <div className="span-all" data-testid={testId}>
      <h4>{t(`${texts}.title`)}</h4>
      <ErrorNote error={error} />
      {outcome && (
        <p className="hint" role="status" data-testid={`${testId}-outcome`}>
          {outcome}
        </p>
      )}
      <DataTable
        columns={columns}
        rows={list.data}
        rowKey={(r) => r.id}
        rowProps={() => ({ 'data-testid': `${testId}-row` })}
        empty={t(`${texts}.none`)}
        error={list.error}
        onRetry={list.reload}
        framed={false}
      />
    </div>
  );
}
