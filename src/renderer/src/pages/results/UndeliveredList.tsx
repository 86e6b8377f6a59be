import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page, UndeliveredResult } from '../../../../shared/api';
import { call } from '../../api/client';
import type { CallState } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';
import { useAppStatus } from '../../appStatus';
import { channelFixAt, useNav } from '../../nav';

/** Results and documents that WhatsApp did not take: why, and the one button that fixes it. */
export function UndeliveredList({ state }: { state: CallState<Page<UndeliveredResult>> }) {
  const { t } = useTranslation();
  if (!state.data?.rows.length) return <ErrorNote error={state.error} onRetry={state.reload} retryLabel={t('common.retry')} />;
  return (
    <>
      <h3 className="section-title">{t('undelivered.title')}</h3>
      <ErrorNote error={state.error} onRetry={state.reload} retryLabel={t('common.retry')} />
      {state.data.rows.map((row) => (
        <UndeliveredCard key={row.messageId} row={row} onChanged={state.reload} />
      ))}
    </>
  );
}

type Mode = 'idle' | 'phone' | 'consent';

function UndeliveredCard({ row, onChanged }: { row: UndeliveredResult; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const { goTo } = useNav();
  const { status } = useAppStatus();
  const { run, busy, error } = useFormAction();
  const [mode, setMode] = useState<Mode>('idle');

  /** Sends it again (to the number as it is now) and says where it went. */
  const sendAgain = async (before?: () => Promise<unknown>): Promise<void> => {
    const item = await run(async () => {
      await before?.();
      return call('results.resend', { id: row.resultId });
    });
    if (!item) return;
    setMode('idle');
    notify.ok(t('undelivered.resent', { name: row.patientName }));
    onChanged();
  };

  return (
    <section className="card review-card" data-testid="undelivered-row" data-fix={row.fix} data-id={row.resultId}>
      <div className="card-head">
        <h3>
          {t(`resultKind.${row.kind}`)} · {row.title}
        </h3>
        {row.failedAt !== null && <span className="muted">{f.dateTime(row.failedAt)}</span>}
      </div>
      <p className="review-reason" data-testid="undelivered-reason">
        {t(`undelivered.why.${row.fix}`, { name: row.patientName })}
      </p>
      <dl className="review-facts">
        <dt>{t('results.patient')}</dt>
        <dd>{row.patientName}</dd>
        <dt>{t('review.phone')}</dt>
        <dd>{row.patientPhone ?? t('common.none')}</dd>
        <dt>{t('undelivered.whatsappSaid')}</dt>
        <dd>{row.reason || t('common.none')}</dd>
      </dl>
      {row.errorCode && <p className="details-line muted">{t('common.details', { code: row.errorCode })}</p>}
      <ErrorNote error={error} />
      {mode === 'phone' && (
        <PhoneForm
          initial={row.patientPhone ?? ''}
          busy={busy}
          onCancel={() => setMode('idle')}
          onSave={(phone) =>
            void sendAgain(async () => {
              const patient = await call('patients.update', { id: row.patientId, phone });
              // The register keeps what was typed even when it is not a mobile: say so instead of sending.
              if (!patient.phoneE164) throw new Error(patient.phoneError ?? t('undelivered.notMobile'));
            })
          }
        />
      )}
      {mode === 'consent' && (
        <ConsentConfirm
          name={row.patientName}
          busy={busy}
          onConfirm={() => void sendAgain(() => call('patients.update', { id: row.patientId, consent: true }))}
          onCancel={() => setMode('idle')}
        />
      )}
      {mode === 'idle' && (
        <div className="row wrap review-actions">
          {row.fix === 'phone' && (
            <button type="button" onClick={() => setMode('phone')} data-testid="undelivered-fix-phone">
              {t('undelivered.fixPhone')}
            </button>
          )}
          {row.fix === 'consent' && (
            <button type="button" onClick={() => setMode('consent')} data-testid="undelivered-consent">
              {t('undelivered.consent')}
            </button>
          )}
          {row.fix === 'channel' && (
            <button type="button" onClick={() => goTo(channelFixAt(status.channel))} data-testid="undelivered-settings">
              {t('undelivered.openSettings')}
            </button>
          )}
          <button
            type="button"
            className={row.fix === 'resend' ? '' : 'secondary'}
            disabled={busy}
            onClick={() => void sendAgain()}
            data-testid="undelivered-resend"
          >
            {t('undelivered.resend')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The receptionist confirms the patient agreed to receive messages, before it is recorded. */
export function ConsentConfirm({
  name,
  busy,
  onConfirm,
  onCancel,
  testId = 'undelivered-consent-confirm',
}: {
  name: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="confirm" role="alertdialog" aria-label={t('undelivered.consent')}>
      <span>{t('undelivered.consentConfirm', { name })}</span>
      <button type="button" disabled={busy} onClick={onConfirm} data-testid={testId}>
        {t('undelivered.consentYes')}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/** Just the mobile: the one thing a "not on WhatsApp" or a landline needs. */
export function PhoneForm({
  initial,
  busy,
  onSave,
  onCancel,
  testId = 'undelivered-phone',
}: {
  initial: string;
  busy: boolean;
  onSave: (phone: string) => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(initial);
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The form opened for this: the cursor goes there.
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!phone.trim()) return setMissing(true);
    onSave(phone.trim());
  };
  return (
    <form className="form-grid subsection" onSubmit={submit} noValidate data-testid={`${testId}-form`}>
      <Field label={t('undelivered.mobile')} error={missing && !phone.trim() ? t('undelivered.mobileMissing') : null}>
        <input ref={input} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid={testId} />
      </Field>
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy} data-testid={`${testId}-save`}>
          {t('undelivered.saveAndSend')}
        </button>
      </div>
    </form>
  );
}
