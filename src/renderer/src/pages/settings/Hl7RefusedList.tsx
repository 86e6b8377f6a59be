import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';

/**
 * Ajustes → HL7 → refused messages: what the sender got AE or AR for, with the reason. Once the reason is fixed (a
 * site code mapped above, a patient registered) a message is processed again from here instead of asking the
 * sender to resend it.
 */
export function Hl7RefusedList() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useCall('hl7.refused', {});
  const { run, busy, error } = useFormAction();
  const [outcome, setOutcome] = useState<{ id: number; text: string } | null>(null);
  const rows = list.data ?? [];

  const retry = async (id: number): Promise<void> => {
    const done = await run(() => call('hl7.retry', { id }));
    if (!done) return;
    setOutcome({ id, text: done.taken ? t('hl7.refused.taken') : t('hl7.refused.stillRefused', { reason: done.reason ?? '' }) });
    list.reload();
  };

  return (
    <div className="span-all" data-testid="hl7-refused">
      <h4>{t('hl7.refused.title')}</h4>
      <ErrorNote error={list.error ?? error} onRetry={list.reload} retryLabel={t('common.retry')} />
      {outcome && <p className="hint" data-testid="hl7-refused-outcome">{outcome.text}</p>}
      {rows.length === 0 ? (
        <p className="hint">{t('hl7.refused.none')}</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>{t('hl7.refused.when')}</th>
              <th>{t('hl7.refused.message')}</th>
              <th>{t('hl7.refused.reason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="hl7-refused-row">
                <td>{f.moment(r.receivedAt)}</td>
                <td>
                  {r.messageType ?? '—'} {r.controlId ? `· ${r.controlId}` : ''}
                  <br />
                  <small className="hint">
                    {r.ack} · {r.remote}
                  </small>
                </td>
                <td data-testid="hl7-refused-reason">{r.reason}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void retry(r.id)} data-testid="hl7-refused-retry">
                    {t('hl7.refused.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
