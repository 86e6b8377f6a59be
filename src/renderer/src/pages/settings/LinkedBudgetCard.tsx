import { useTranslation } from 'react-i18next';
import type { LinkedDeviceView } from '../../../../shared/api';
import type { LinkedDeviceBudgetSettings } from '../../../../shared/settings';
import { call } from '../../api/client';
import { useAppStatus } from '../../appStatus';
import { useAction } from '../../components/Notify';
import { useFormat } from '../../format';
import { BudgetForm } from './BudgetForm';
import type { Save } from './types';

type Budget = LinkedDeviceView['budget'];

/** Today's sends through the phone against its limits, a pause with its reason, and the limits themselves. */
export function LinkedBudgetCard({
  budget,
  settings,
  save,
  onChanged,
}: {
  /** Null while the linked-device channel is not in use: only the settings show. */
  budget: Budget | null;
  settings: LinkedDeviceBudgetSettings;
  save: Save;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="ld-budget">
      <h3>{t('linkedDevice.budget')}</h3>
      <p className="warning">{t('linkedDevice.banWarning')}</p>
      {budget && <BudgetStatus budget={budget} onResumed={onChanged} />}
      <BudgetForm saved={settings} save={save} onSaved={onChanged} />
    </section>
  );
}

function BudgetStatus({ budget: b, onResumed }: { budget: Budget; onResumed: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const ofCap = (n: number, cap: number): string =>
    cap > 0 ? t('linkedDevice.ofCap', { n: f.number(n), cap: f.number(cap) }) : t('linkedDevice.noCapCount', { n: f.number(n) });

  return (
    <div className="subsection budget-status">
      <dl className="facts">
        <dt>{t('linkedDevice.sentToday', { day: f.day(b.day) })}</dt>
        <dd data-testid="ld-budget-sent">{ofCap(b.sent, b.dailyCap)}</dd>
        {b.warmup && (
          <>
            <dt>{t('linkedDevice.warmup')}</dt>
            <dd data-testid="ld-budget-warmup">
              {t('linkedDevice.warmupOf', {
                day: f.number(b.warmup.day + 1),
                days: f.number(b.warmup.days),
                cap: f.number(b.dailyCap),
                full: f.number(b.warmup.fullCap),
              })}
            </dd>
          </>
        )}
        <dt>{t('linkedDevice.firstContacts')}</dt>
        <dd data-testid="ld-budget-first">{ofCap(b.firstContacts, b.firstContactDailyCap)}</dd>
        {b.whatsappQuota && (
          <>
            <dt>{t('linkedDevice.whatsappQuota')}</dt>
            <dd data-testid="ld-budget-quota">{ofCap(b.whatsappQuota.used, b.whatsappQuota.total)}</dd>
          </>
        )}
        <dt>{t('linkedDevice.gap')}</dt>
        <dd>{t('linkedDevice.gapRange', { min: f.number(b.minGapMs / 1000), max: f.number(b.maxGapMs / 1000) })}</dd>
        <dt>{t('linkedDevice.failures')}</dt>
        <dd data-testid="ld-budget-failures">
          {b.failureThreshold > 0
            ? t('linkedDevice.failuresOf', {
                n: f.number(b.recentFailures),
                max: f.number(b.failureThreshold),
                minutes: f.number(Math.round(b.failureWindowMs / 60_000)),
              })
            : t('linkedDevice.failuresNoPause', { n: f.number(b.recentFailures) })}
        </dd>
      </dl>
      {b.pause ? (
        <PauseNote budget={b} pause={b.pause} onResumed={onResumed} />
      ) : (
        b.reason && (
          <p className="warning" data-testid="ld-budget-reason">
            {b.reason}
          </p>
        )
      )}
    </div>
  );
}

function PauseNote({
  budget,
  pause,
  onResumed,
}: {
  budget: Budget;
  pause: NonNullable<Budget['pause']>;
  onResumed: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { apply } = useAppStatus();
  const [run, busy] = useAction();

  const resume = async (): Promise<void> => {
    const next = await run(() => call('sending.resume', {}));
    if (!next) return;
    apply(next);
    onResumed();
  };

  return (
    <div className="error-note" role="status" data-testid="ld-pause" data-code={pause.code}>
      <div>
        {/* The core's reason already says that sending is paused and why. */}
        <strong>{budget.reason ?? t('linkedDevice.paused')}</strong>{' '}
        <span className="muted">
          {t('linkedDevice.pausedSince', { at: f.dateTime(pause.since) })}
          {pause.until !== null && <> · {t('linkedDevice.pausedUntil', { at: f.dateTime(pause.until) })}</>}
        </span>
      </div>
      <button type="button" disabled={busy} onClick={() => void resume()} data-testid="ld-resume">
        {t('paused.resume')}
      </button>
    </div>
  );
}
