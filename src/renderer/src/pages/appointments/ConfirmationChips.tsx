import { useTranslation } from 'react-i18next';
import type { ConfirmationCounts, ConfirmationFilter } from '../../../../shared/appointments-api';

const FILTERS: readonly ConfirmationFilter[] = ['confirmed', 'no_answer', 'change_requested', 'reminder_failed'];
// A mark besides the colour, so the chip reads the same without it.
const MARKS: Record<ConfirmationFilter, string> = { confirmed: '✓', no_answer: '…', change_requested: '↻', reminder_failed: '!' };

/** "Confirmadas (12)", "Sin respuesta (5)"…: the day counted by the core; a click shows only those rows. */
export function ConfirmationChips({
  counts,
  filter,
  onFilter,
}: {
  counts: ConfirmationCounts | undefined;
  filter: ConfirmationFilter | null;
  onFilter: (filter: ConfirmationFilter | null) => void;
}) {
  const { t } = useTranslation();
  const n = (value: number | undefined): string => (value === undefined ? '–' : String(value));
  return (
    <div className="apt-chips" role="group" aria-label={t('appointments.board.chipsLabel')} data-testid="apt-chips">
      <button
        type="button"
        className={filter === null ? 'apt-chip active' : 'apt-chip'}
        aria-pressed={filter === null}
        onClick={() => onFilter(null)}
        data-testid="apt-chip-all"
      >
        {t('appointments.board.filter.all')} <span className="apt-chip-count">{n(counts?.all)}</span>
      </button>
      {FILTERS.map((key) => (
        <button
          key={key}
          type="button"
          className={`apt-chip apt-chip-${key}${filter === key ? ' active' : ''}`}
          aria-pressed={filter === key}
          onClick={() => onFilter(filter === key ? null : key)}
          data-testid={`apt-chip-${key}`}
          data-count={counts?.[key]}
        >
          <span aria-hidden="true">{MARKS[key]}</span> {t(`appointments.board.filter.${key}`)}{' '}
          <span className="apt-chip-count">{n(counts?.[key])}</span>
        </button>
      ))}
    </div>
  );
}
