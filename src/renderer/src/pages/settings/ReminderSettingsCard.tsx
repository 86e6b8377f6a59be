import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReminderSettingsView } from '../../../../shared/api';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { clockText, parseClock } from '../../format';
import type { RemindersContext } from './RemindersSection';
import { wholeNumber } from './SendingSection';
import { UnsavedNote, useUnsaved } from './unsaved';
import { NamedOptions } from '../../components/NamedOptions';

// The bounds the core checks (src/main/core/api/schemas.ts): up to a week.
const MAX_MINUTES = 7 * 24 * 60;
// What a site gets when not even the defaults row exists (the core plans with the same).
const FALLBACK: Omit<ReminderSettingsView, 'siteId'> = { quietHours: null, minLeadMinutes: 0, catchUpMinBeforeMinutes: 60 };
// Offered when quiet hours are switched on again.
const QUIET_START = 21 * 60;
const QUIET_END = 7 * 60;

/** Quiet hours, the minimum lead after booking and the catch-up limit: the defaults, or one site's own. */
export function ReminderSettingsCard({ ctx }: { ctx: RemindersContext }) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<number | null>(null);
  const own = ctx.view.settings.find((s) => s.siteId === scope) ?? null;
  const defaults = ctx.view.settings.find((s) => s.siteId === null) ?? null;
  const saved = own ?? defaults ?? { siteId: null, ...FALLBACK };

  return (
    <section className="card" data-testid="reminder-settings">
      <h3>{t('reminders.title')}</h3>
      <p className="hint">{t('reminders.intro')}</p>
      <div className="row">
        <label className="field">
          <span>{t('reminders.settings.scope')}</span>
          <select
            value={scope ?? ''}
            onChange={(e) => setScope(e.target.value ? Number(e.target.value) : null)}
            data-testid="reminder-settings-site"
          >
            <option value="">{t('reminders.settings.defaults')}</option>
            <NamedOptions items={ctx.sites} />
          </select>
        </label>
      </div>
      {scope !== null && !own && <p className="hint">{t('reminders.settings.inherits')}</p>}
      {/* A new key after a save or another scope: the fields start again from what is saved. */}
      <SettingsForm
        key={`${scope ?? 'defaults'}|${JSON.stringify(saved)}`}
        scope={scope}
        saved={saved}
        inherits={scope !== null && !own}
        ctx={ctx}
      />
    </section>
  );
}

type Field = 'quiet' | 'minLead' | 'catchUp';

function SettingsForm({
  scope,
  saved,
  inherits,
  ctx,
}: {
  scope: number | null;
  saved: Omit<ReminderSettingsView, 'siteId'>;
  inherits: boolean;
  ctx: RemindersContext;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [quietOn, setQuietOn] = useState(saved.quietHours !== null);
  const [start, setStart] = useState(clockText(saved.quietHours?.startMinute ?? QUIET_START));
  const [end, setEnd] = useState(clockText(saved.quietHours?.endMinute ?? QUIET_END));
  const [minLead, setMinLead] = useState(String(saved.minLeadMinutes));
  const [catchUp, setCatchUp] = useState(String(saved.catchUpMinBeforeMinutes));
  const [shown, setShown] = useState<Set<Field>>(new Set());

  const startMinute = parseClock(start);
  const endMinute = parseClock(end);
  const lead = wholeNumber(minLead, 0, MAX_MINUTES);
  const before = wholeNumber(catchUp, 0, MAX_MINUTES);
  const quietProblem =
    !quietOn ? null : startMinute === null || endMinute === null ? 'clock' : startMinute === endMinute ? 'same' : null;
  const quietHours = quietOn && startMinute !== null && endMinute !== null ? { startMinute, endMinute } : null;
  const edited =
    JSON.stringify(quietHours) !== JSON.stringify(saved.quietHours) ||
    lead !== saved.minLeadMinutes ||
    before !== saved.catchUpMinBeforeMinutes;
  // A site that follows the clinic's settings may save them as its own without editing anything.
  const changed = inherits || edited;
  useUnsaved('reminder-settings', edited);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const problems = new Set<Field>();
    if (quietProblem) problems.add('quiet');
    if (lead === null) problems.add('minLead');
    if (before === null) problems.add('catchUp');
    setShown(problems);
    if (problems.size > 0 || lead === null || before === null) return;
    const view = await run(() =>
      call('reminders.saveSettings', { siteId: scope, quietHours, minLeadMinutes: lead, catchUpMinBeforeMinutes: before }),
    );
    if (!view) return;
    notify.ok(t('reminders.settings.saved'));
    ctx.apply(view);
  };

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="quiet-hours span-all">
        <legend>{t('reminders.settings.quietHours')}</legend>
        <label className="check">
          <input type="checkbox" checked={!quietOn} onChange={(e) => setQuietOn(!e.target.checked)} data-testid="quiet-none" />
          <span>{t('reminders.settings.noQuiet')}</span>
        </label>
        <div className="row wrap">
          <label className="field">
            <span>{t('reminders.settings.quietStart')}</span>
            <input
              type="time"
              value={start}
              disabled={!quietOn}
              onChange={(e) => setStart(e.target.value)}
              aria-invalid={shown.has('quiet') && quietProblem !== null}
              data-testid="quiet-start"
            />
          </label>
          <label className="field">
            <span>{t('reminders.settings.quietEnd')}</span>
            <input
              type="time"
              value={end}
              disabled={!quietOn}
              onChange={(e) => setEnd(e.target.value)}
              aria-invalid={shown.has('quiet') && quietProblem !== null}
              data-testid="quiet-end"
            />
          </label>
        </div>
        {shown.has('quiet') && quietProblem ? (
          <small className="field-error">{t(`reminders.settings.errors.${quietProblem}`)}</small>
        ) : (
          <small className="hint">
            {quietHours ? t('reminders.settings.quietHint', { start, end }) : t('reminders.settings.noQuietHint')}
          </small>
        )}
      </fieldset>
      <label className="field">
        <span>{t('reminders.settings.minLead')}</span>
        <input
          type="number"
          min={0}
          max={MAX_MINUTES}
          step={1}
          value={minLead}
          onChange={(e) => setMinLead(e.target.value)}
          aria-invalid={shown.has('minLead') && lead === null}
          data-testid="reminder-min-lead"
        />
        <small className={shown.has('minLead') && lead === null ? 'field-error' : 'hint'}>
          {shown.has('minLead') && lead === null
            ? t('reminders.settings.errors.minutes', { max: MAX_MINUTES })
            : t('reminders.settings.minLeadHint')}
        </small>
      </label>
      <label className="field">
        <span>{t('reminders.settings.catchUp')}</span>
        <input
          type="number"
          min={0}
          max={MAX_MINUTES}
          step={1}
          value={catchUp}
          onChange={(e) => setCatchUp(e.target.value)}
          aria-invalid={shown.has('catchUp') && before === null}
          data-testid="reminder-catch-up"
        />
        <small className={shown.has('catchUp') && before === null ? 'field-error' : 'hint'}>
          {shown.has('catchUp') && before === null
            ? t('reminders.settings.errors.minutes', { max: MAX_MINUTES })
            : t('reminders.settings.catchUpHint')}
        </small>
      </label>
      <div className="span-all">
        <ErrorNote error={error} />
      </div>
      <div className="form-actions span-all save-bar">
        <UnsavedNote dirty={edited} />
        <button type="submit" disabled={busy || !changed} data-testid="reminder-settings-save">
          {inherits ? t('reminders.settings.saveOwn') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
