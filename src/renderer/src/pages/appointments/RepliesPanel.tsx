import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpenReply } from '../../../../shared/api';
import type { Appointment } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';
import { useFormat } from '../../format';

// What the core understood the patient wanted (`replies.intent.*`); anything else is shown as not understood.
const INTENTS = ['confirm', 'cancel', 'reschedule', 'opt_out', 'unknown'] as const;
type Intent = (typeof INTENTS)[number];
const intentOf = (intent: string): Intent => (INTENTS as readonly string[]).includes(intent) ? (intent as Intent) : 'unknown';

/**
 * Respuestas por atender: replies Avisa could not settle by itself (a request to reschedule, an answer it did not
 * understand or could not apply). A person reads each one, acts, and marks it attended.
 */
export function RepliesPanel({ appointments }: { appointments: readonly Appointment[] }) {
  const { t } = useTranslation();
  const loaded = useCall('replies.open', {});
  // The list `replies.attend` returns is fresher than the last load, until the next one.
  const [latest, setLatest] = useState<{ from: OpenReply[] | undefined; rows: OpenReply[] } | null>(null);
  const replies = latest && latest.from === loaded.data ? latest.rows : loaded.data;

  return (
    <section className="card" data-testid="replies-open">
      <div className="card-head">
        <h3>
          {t('replies.title')} {replies && replies.length > 0 && <Chip tone="warn">{replies.length}</Chip>}
        </h3>
      </div>
      <p className="hint">{t('replies.hint')}</p>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} retryLabel={t('common.retry')} />
      {replies && replies.length > 0 && (
        <div className="card flush inner">
          <table className="table">
            <thead>
              <tr>
                <th>{t('replies.received')}</th>
                <th>{t('replies.from')}</th>
                <th>{t('replies.text')}</th>
                <th>{t('replies.why')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {replies.map((r) => (
                <ReplyRow
                  key={r.replyId}
                  r={r}
                  appointment={appointments.find((a) => a.id === r.appointmentId) ?? null}
                  onAttended={(rows) => setLatest({ from: loaded.data, rows })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {replies?.length === 0 && <p className="muted">{t('replies.empty')}</p>}
    </section>
  );
}

function ReplyRow({
  r,
  appointment,
  onAttended,
}: {
  r: OpenReply;
  appointment: Appointment | null;
  onAttended: (rows: OpenReply[]) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const [run, busy] = useAction();

  const attend = async (): Promise<void> => {
    const rows = await run(() => call('replies.attend', { replyId: r.replyId }));
    if (!rows) return;
    notify.ok(t('replies.attended'));
    onAttended(rows);
  };

  return (
    <tr data-testid="reply-row" data-id={r.replyId}>
      <td className="nowrap">{f.dateTime(r.receivedAt)}</td>
      <td>
        <div className="nowrap">{r.fromPhone}</div>
        {appointment && (
          <div className="muted">
            {appointment.patientName} · {t('replies.appointment', { when: f.time(appointment.startsAt, appointment.timeZone) })}
          </div>
        )}
      </td>
      <td className="body-text">«{r.body}»</td>
      <td>
        <Chip tone={intentOf(r.intent) === 'unknown' ? 'warn' : 'info'}>{t(`replies.intent.${intentOf(r.intent)}`)}</Chip>
        {r.reason && <div className="reason-text">{r.reason}</div>}
      </td>
      <td className="actions">
        <button type="button" className="small" disabled={busy} onClick={() => void attend()} data-testid="reply-attend">
          {t('replies.attend')}
        </button>
      </td>
    </tr>
  );
}
