import type { LinkedDeviceBudgetSettings } from '../../../../shared/settings';

export type BudgetField = keyof LinkedDeviceBudgetSettings;

/** The form as typed: every field a string. */
export type BudgetDraft = Record<BudgetField, string>;

export const BUDGET_FIELDS: BudgetField[] = [
  'minGapSeconds',
  'maxGapSeconds',
  'dailyCap',
  'firstContactDailyCap',
  'failurePauseCount',
  'failureWindowMinutes',
  'warmupStartCap',
  'warmupDays',
  'offlineReplyMaxDays',
];

/** The bounds the core checks (src/main/core/api/schemas.ts); the gaps may have decimals, the rest are whole. */
export const BUDGET_LIMITS: Record<BudgetField, { min: number; max: number; seconds: boolean }> = {
  minGapSeconds: { min: 0, max: 600, seconds: true },
  maxGapSeconds: { min: 0, max: 600, seconds: true },
  dailyCap: { min: 0, max: 100_000, seconds: false },
  firstContactDailyCap: { min: 0, max: 100_000, seconds: false },
  failurePauseCount: { min: 0, max: 1000, seconds: false },
  failureWindowMinutes: { min: 1, max: 24 * 60, seconds: false },
  warmupStartCap: { min: 0, max: 100_000, seconds: false },
  warmupDays: { min: 0, max: 60, seconds: false },
  offlineReplyMaxDays: { min: 1, max: 60, seconds: false },
};

export type BudgetProblem = 'seconds' | 'whole' | 'gapOrder';

export function budgetDraftOf(s: LinkedDeviceBudgetSettings): BudgetDraft {
  return {
    minGapSeconds: String(s.minGapSeconds),
    maxGapSeconds: String(s.maxGapSeconds),
    dailyCap: String(s.dailyCap),
    firstContactDailyCap: String(s.firstContactDailyCap),
    failurePauseCount: String(s.failurePauseCount),
    failureWindowMinutes: String(s.failureWindowMinutes),
    warmupStartCap: String(s.warmupStartCap),
    warmupDays: String(s.warmupDays),
    offlineReplyMaxDays: String(s.offlineReplyMaxDays),
  };
}

/** Checks the draft the way the core will; returns the settings or what is wrong with each field. */
export function parseBudget(
  d: BudgetDraft,
): { ok: true; value: LinkedDeviceBudgetSettings } | { ok: false; problems: Map<BudgetField, BudgetProblem> } {
  const problems = new Map<BudgetField, BudgetProblem>();
  const value = {} as LinkedDeviceBudgetSettings;
  for (const field of BUDGET_FIELDS) {
    const { min, max, seconds } = BUDGET_LIMITS[field];
    const text = d[field].trim().replace(',', '.');
    const n = Number(text);
    const shape = seconds ? /^\d+(\.\d+)?$/ : /^\d+$/;
    if (!shape.test(text) || n < min || n > max) problems.set(field, seconds ? 'seconds' : 'whole');
    value[field] = n;
  }
  if (!problems.has('minGapSeconds') && !problems.has('maxGapSeconds') && value.maxGapSeconds < value.minGapSeconds) {
    problems.set('maxGapSeconds', 'gapOrder');
  }
  return problems.size ? { ok: false, problems } : { ok: true, value };
}

/** Only what differs from the saved settings, so saving one field does not rewrite the others. */
export function changedBudget(
  next: LinkedDeviceBudgetSettings,
  saved: LinkedDeviceBudgetSettings,
): Partial<LinkedDeviceBudgetSettings> {
  const patch: Partial<LinkedDeviceBudgetSettings> = {};
  for (const field of BUDGET_FIELDS) {
    if (next[field] !== saved[field]) patch[field] = next[field];
  }
  return patch;
}
