import { Fragment, type HTMLAttributes, type Key, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { ErrorNote } from './ErrorNote';
import './data-table.css';

export interface Column<Row> {
  /** Stable name of the column (React key). */
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Class of the column's cells (e.g. "nowrap", "actions", "num"). */
  className?: string;
  /** Class of the column's header, when it must line up with its cells (a figure's "num"). */
  headerClassName?: string;
  /** `data-testid` of the column's cells, for the tests that read one figure. */
  testId?: string;
  /** Extra attributes of a cell, given its row (e.g. a title that explains a number). */
  cellProps?: (row: Row) => HTMLAttributes<HTMLTableCellElement>;
}

/** Attributes of a row's `<tr>`, `data-*` included. */
export type RowProps = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | number | undefined>;

export interface DataTableProps<Row> {
  columns: readonly Column<Row>[];
  /** Undefined while loading (or when the first load failed). */
  rows: readonly Row[] | undefined;
  rowKey: (row: Row) => Key;
  /**
   * Said in the card when there are no rows. Left out, the table is drawn only once it has rows: the caller says
   * "nothing here" its own way (a line under a heading, or nothing at all).
   */
  empty?: ReactNode;
  /** A load failure, shown above the card with a retry button when `onRetry` is given. */
  error?: ApiError | null;
  onRetry?: () => void;
  rowProps?: (row: Row) => RowProps;
  /**
   * What opens under a row (an edit form, a preview, a question): each entry that is not null gets a full-width row of
   * its own, in order.
   */
  below?: (row: Row) => readonly (ReactNode | null | false)[];
  /** Class of the rows opened under a row. */
  belowClassName?: string;
  testId?: string;
  /** Class of the table besides "table" (e.g. "compact", or the page's own for its narrow-window layout). */
  className?: string;
  /** Under the card (a pager), shown once rows are loaded. */
  footer?: ReactNode;
  /**
   * The card around the table. False when the table sits inside a card of its own (with a form beside it): no card;
   * 'inner' for a bordered table inside a card (no shadow of its own).
   */
  framed?: boolean | 'inner';
}

/**
 * A list in a card: its columns, a row per item, what opens under a row, and the three states every list has
 * (loading, empty, failed with a retry). The table scrolls sideways inside the card on a narrow window.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  empty,
  error = null,
  onRetry,
  rowProps,
  below,
  belowClassName,
  testId,
  className,
  footer,
  framed = true,
}: DataTableProps<Row>) {
  const { t } = useTranslation();
  const errorNote = <ErrorNote error={error} onRetry={onRetry} retryLabel={t('common.retry')} />;
  if (empty === undefined && !rows?.length) return errorNote;
  return (
    <>
      {errorNote}
      <div className={framed === 'inner' ? 'card flush inner' : framed ? 'card flush' : undefined}>
        <div className="table-scroll">
          <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  // scope: a screen reader names each cell by its column's header.
                  <th key={c.key} scope="col" className={c.headerClassName}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows?.map((row) => (
                <Fragment key={rowKey(row)}>
                  <tr {...rowProps?.(row)}>
                    {columns.map((c) => (
                      <td key={c.key} className={c.className} data-testid={c.testId} {...c.cellProps?.(row)}>
                        {c.cell(row)}
                      </td>
                    ))}
                  </tr>
                  {below?.(row).map((content, i) =>
                    content ? (
                      <tr key={i} className={belowClassName}>
                        <td colSpan={columns.length}>{content}</td>
                      </tr>
                    ) : null,
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
        {rows?.length === 0 && <p className="empty">{empty}</p>}
        {!rows && !error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {rows && footer}
    </>
  );
}
