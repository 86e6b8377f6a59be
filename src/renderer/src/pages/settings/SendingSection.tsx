import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { useAppStatus } from '../../appStatus';
import { Chip } from '../../components/Chip';
import { useAction } from '../../components/Notify';
import { useFormat } from '../../format';
import { ChannelStateChip } from '../../components/ChannelStateChip';
import type { Save } from './types';
import { SaveBar, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

const MAX_UNKNOWN_MINUTES = 7 * 24 * 60;

/** Pause and resume, the daily cap, and what happens to messages nobody confirmed. */
export function SendingSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const anchor = useSectionAnchor<HTMLElement>('sending');
  return (
    <section className="card" data-testid="settings-sending" ref={anchor}>
      <h3>{t('settings.sending')}</h3>
      <PauseControl view={view} save={save} />
      <LimitsForm view={view} save={save} />
    </section>
  );
}

function PauseControl({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { status, apply } = useAppStatus();
  const [run, busy] = useAction();
  // The live status is fresher than the settings loaded when the page opened.
  const paused = status.sendingPaused || status.channelHealth.state === 'paused';
  const resume = async (): Promise<void> => {
    const next = await run(() => call('sending.resume', {}));
    if (next) apply(next);
  };

  return (
    <>
      {/* The same chip as the header's, from the same live status: the two never disagree. */}
      <p className="row">
        <span>
          {t('header.channel')}: <strong>{t(`channel.${status.channel ?? 'none'}`)}</strong>
        </span>
        <ChannelStateChip testId="sending-channel-state" />
        {/* "Sending normally" only when it is: a channel not set up says so in its own chip, and nothing contradicts it. */}
        {paused ? (
          <Chip tone="warn">{t('settings.pausedNow')}</Chip>
        ) : (
          status.channelHealth.state === 'ready' && <Chip tone="good">{t('settings.runningNow')}</Chip>
        )}
      </p>
      {status.channelHealth.state === 'paused' && status.channelHealth.reason ? (
        <p className="warning">{status.channelHealth.reason}</p>
      ) : (
        view.channelProblem && (
          <p className="warning">
            {view.channelProblem.reason} <span className="muted">({f.dateTime(view.channelProblem.at)})</span>
          </p>
        )
      )}
      <div className="row">
        {paused ? (
          <button type="button" disabled={busy} onClick={() => void resume()}>
            {t('paused.resume')}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => void save({ sendingPaused: true })}>
            {t('settings.pause')}
          </button>
        )}
      </div>
    </>
  );
}

function LimitsForm({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [dailyCap, setDailyCap] = useState(String(view.dailyCap));
  const [minutes, setMinutes] = useState(String(view.unknownAfterMinutes));
  const [autoResend, setAutoResend] = useState(view.autoResendUnknown);
  const cap = wholeNumber(dailyCap, 0, 1_000_000);
  const after = wholeNumber(minutes, 1, MAX_UNKNOWN_MINUTES);
  const changed = cap !== view.dailyCap || after !== view.unknownAfterMinutes || autoResend !== view.autoResendUnknown;
  useUnsaved('sending', changed);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (cap === null || after === null) return;
    void save({ dailyCap: cap, unknownAfterMinutes: after, autoResendUnknown: autoResend });
  };

  return (
    <form className="form-grid" onSubmit={submit} noValidate>
      <label className="field">
        <span>{t('settings.dailyCap')}</span>
        <input
          type="number"
          min={0}
          step={1}
          value={dailyCap}
          onChange={(e) => setDailyCap(e.target.value)}
          aria-invalid={cap === null}
          data-testid="settings-daily-cap"
        />
        <small className={cap === null ? 'field-error' : 'hint'}>
          {cap === null ? t('settings.errors.dailyCap') : cap === 0 ? t('settings.noCap') : t('settings.capHint')}
        </small>
      </label>
      <label className="field">
        <span>{t('settings.unknownAfterMinutes')}</span>
        <input
          type="number"
          min={1}
          max={MAX_UNKNOWN_MINUTES}
          step={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-invalid={after === null}
          data-testid="settings-unknown-after"
        />
        <small className={after === null ? 'field-error' : 'hint'}>
          {after === null ? t('settings.errors.unknownAfter', { max: MAX_UNKNOWN_MINUTES }) : t('settings.unknownAfterHint')}
        </small>
      </label>
      <label className="check span-all">
        <input type="checkbox" checked={autoResend} onChange={(e) => setAutoResend(e.target.checked)} data-testid="settings-auto-resend" />
        <span>{t('settings.autoResendUnknown')}</span>
      </label>
      <p className="warning span-all">{t('settings.autoResendWarning')}</p>
      <SaveBar dirty={changed} disabled={cap === null || after === null} testId="settings-sending-save" />
    </form>
  );
}

/** A whole number within bounds, or null when the text is not one. */
export function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}
