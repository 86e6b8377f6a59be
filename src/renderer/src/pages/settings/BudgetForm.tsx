import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkedDeviceBudgetSettings } from '../../../../shared/settings';
import {
  BUDGET_FIELDS,
  BUDGET_LIMITS,
  budgetDraftOf,
  changedBudget,
  parseBudget,
  type BudgetDraft,
  type BudgetField,
  type BudgetProblem,
} from './budgetForm';
import type { Save } from './types';
import { SaveBar, useUnsaved } from './unsaved';

/** How gently the phone sends: the wait between messages, the day's caps and when failures pause it. */
export function BudgetForm({
  saved,
  save,
  onSaved,
}: {
  saved: LinkedDeviceBudgetSettings;
  save: Save;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<BudgetDraft>(() => budgetDraftOf(saved));
  const [shown, setShown] = useState<Map<BudgetField, BudgetProblem>>(new Map());
  const parsed = parseBudget(draft);
  const changed = !parsed.ok || Object.keys(changedBudget(parsed.value, saved)).length > 0;
  useUnsaved('linked-budget', changed);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!parsed.ok) {
      setShown(parsed.problems);
      return;
    }
    setShown(new Map());
    if (await save({ linkedDevice: changedBudget(parsed.value, saved) })) onSaved();
  };

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
      {BUDGET_FIELDS.map((k) => {
        const problem = shown.get(k);
        return (
          <label className="field" key={k}>
            <span>{t(`linkedDevice.fields.${k}`)}</span>
            <input
              value={draft[k]}
              inputMode={BUDGET_LIMITS[k].seconds ? 'decimal' : 'numeric'}
              onChange={(e) => {
                setDraft((d) => ({ ...d, [k]: e.target.value }));
                setShown((m) => withoutField(m, k));
              }}
              aria-invalid={problem !== undefined}
              data-testid={`ld-budget-${k}`}
            />
            {problem ? (
              <small className="field-error">{t(`linkedDevice.errors.${problem}`, { min: BUDGET_LIMITS[k].min, max: BUDGET_LIMITS[k].max })}</small>
            ) : (
              <small className="hint">{t(`linkedDevice.hints.${k}`)}</small>
            )}
          </label>
        );
      })}
      <SaveBar dirty={changed} testId="ld-budget-save" />
    </form>
  );
}

/** The shown problems once a field is edited again: its message goes until the next save checks it. */
function withoutField(problems: Map<BudgetField, BudgetProblem>, field: BudgetField): Map<BudgetField, BudgetProblem> {
  if (!problems.has(field)) return problems;
  const next = new Map(problems);
  next.delete(field);
  return next;
}
