import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpenReplyDetail } from '../../../../shared/appointments-api';
import type { Appointment } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useReplyDetails } from '../../api/resources';
import { Chip } from '../../components/Chip';
import { ConfirmBar } from '../../components/ConfirmBar';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';

// What the core understood the patient wanted (`replies.intent.*`); anything else is shown as not understood.
const INTENTS = ['confirm', 'cancel', 'reschedule', 'opt_out', 'unknown'] as const;
type Intent = (typeof INTENTS)[number];
const intentOf = (intent: string): Intent => (INTENTS as readonly string[]).includes(intent) ? (intent as Intent) : 'unknown';
const ACTIVE = new Set(['booked', 'confirmed']);

/**
 * Respuestas por atender: replies Avisa could not settle by itself (a request to reschedule, an answer it did not
 * understand or could not apply), each with the patient and appointment it is about, whatever site the page shows,
 * and what a person does about it: answer, reschedule, cancel the appointment, or mark it attended.
 */
export function RepliesPanel({
  onReschedule,
  onChanged,
}: {
  onReschedule: (appointment: Appointment, replyId: number) => void;
  /** The appointments' list changes too (a cancellation). */
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const loaded = useReplyDetails();
  // The list an action returns is fresher than the last load, until the next one.
  const [latest, setLatest] = useState<{ from: OpenReplyDetail[] | undefined; rows: OpenReplyDetail[] } | null>(null);
  const replies = latest && latest.from === loaded.data ? latest.rows : loaded.data;
  const update = (rows: OpenReplyDetail[] | null): void => {
    if (rows) setLatest({ from: loaded.data, rows });
    else loaded.reload();
    onChanged();
  };

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
          <table className="table replies-table">
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
                <ReplyRow key={r.replyId} r={r} onUpdated={update} onReschedule={onReschedule} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {replies?.length === 0 && <p className="muted">{t('replies.empty')}</p>}
    </section>
  );
}

type Opened = 'answer' | 'cancel' | null;

function ReplyRow({
  r,
  onUpdated,
  onReschedule,
}: {
  r: OpenReplyDetail;
  onUpdated: (rows: OpenReplyDetail[] | null) => void;
  onReschedule: (appointment: Appointment, replyId: number) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [opened, setOpened] = useState<Opened>(null);
  const apt = r.appointment;
  const canChange = apt !== null && ACTIVE.has(apt.status);

  const attend = async (): Promise<void> => {
    const rows = await run(() => call('replies.attend', { replyId: r.replyId }));
    if (!rows) return;
    notify.ok(t('replies.attended'));
    onUpdated(null);
  };

  const cancelAppointment = async (): Promise<void> => {
    const rows = await run(() => call('replies.cancelAppointment', { replyId: r.replyId }));
    if (!rows) return;
    setOpened(null);
    notify.ok(t('appointments.cancelled'));
    onUpdated(rows);
  };

  return (
    <>
      <tr data-testid="reply-row" data-id={r.replyId}>
        <td className="nowrap">{f.dateTime(r.receivedAt)}</td>
        <td>
          <div className="strong" data-testid="reply-patient">
            {r.patientName ?? t('appointments.board.reply.unknownPatient')}
          </div>
          {apt && (
            <div className="muted" data-testid="reply-appointment">
              {t('appointments.board.reply.appointment', {
                when: f.dateTime(apt.startsAt, apt.timeZone),
                service: apt.serviceName,
                site: apt.siteName,
              })}
            </div>
          )}
          <div className="muted nowrap">{r.fromPhone}</div>
        </td>
        <td className="body-text">«{r.body}»</td>
        <td>
          <Chip tone={intentOf(r.intent) === 'unknown' ? 'warn' : 'info'}>{t(`replies.intent.${intentOf(r.intent)}`)}</Chip>
          {r.reason && <div className="reason-text">{r.reason}</div>}
        </td>
        <td className="actions">
          <div className="apt-actions">
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              onClick={() => setOpened(opened === 'answer' ? null : 'answer')}
              aria-expanded={opened === 'answer'}
              data-testid="reply-answer"
            >
              {t('appointments.board.reply.answer')}
            </button>
            {apt && canChange && (
              <>
                <button
                  type="button"
                  className="secondary small"
                  disabled={busy}
                  onClick={() => onReschedule(apt, r.replyId)}
                  data-testid="reply-reschedule"
                >
                  {t('appointments.board.reschedule')}
                </button>
                <button
                  type="button"
                  className="link danger small"
                  disabled={busy}
                  onClick={() => setOpened('cancel')}
                  data-testid="reply-cancel"
                >
                  {t('appointments.cancel')}
                </button>
              </>
            )}
            <button type="button" className="small" disabled={busy} onClick={() => void attend()} data-testid="reply-attend">
              {t('replies.attend')}
            </button>
          </div>
        </td>
      </tr>
      {opened === 'cancel' && apt && (
        <tr className="reply-action-row">
          <td colSpan={5}>
            <ConfirmBar
              yes={t('appointments.board.reply.cancelYes')}
              onYes={() => void cancelAppointment()}
              onNo={() => setOpened(null)}
              busy={busy}
              danger
              testId="reply-cancel-confirm"
            >
              {t('appointments.board.reply.cancelQuestion', {
                patient: apt.patientName,
                when: f.dateTime(apt.startsAt, apt.timeZone),
              })}
            </ConfirmBar>
          </td>
        </tr>
      )}
      {opened === 'answer' && (
        <tr className="reply-action-row">
          <td colSpan={5}>
            <AnswerForm r={r} onSent={(rows) => {
              setOpened(null);
              onUpdated(rows);
            }} onClose={() => setOpened(null)} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Free text to the patient, through the outbox, while WhatsApp's 24-hour window is open; after it, says so. */
function AnswerForm({
  r,
  onSent,
  onClose,
}: {
  r: OpenReplyDetail;
  onSent: (rows: OpenReplyDetail[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [text, setText] = useState('');

  if (!r.windowOpen) {
    return (
      <div className="apt-window-closed warning" role="note" data-testid="reply-window-closed">
        {t('appointments.board.reply.windowClosed', { when: r.windowEndsAt ? f.dateTime(r.windowEndsAt) : '—' })}{' '}
        <button type="button" className="link" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    );
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!text.trim()) return;
    const rows = await run(() => call('replies.answer', { replyId: r.replyId, text: text.trim() }));
    if (!rows) return;
    notify.ok(t('appointments.board.reply.sent'));
    onSent(rows);
  };

  return (
    <form className="reply-answer-form" onSubmit={(e) => void submit(e)} data-testid="reply-answer-form">
      <label className="field">
        <span>{t('appointments.board.reply.answerLabel', { patient: r.patientName ?? r.fromPhone })}</span>
        <textarea
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={4096}
          autoFocus
          data-testid="reply-answer-text"
        />
        {r.windowEndsAt !== null && (
          <small className="hint">{t('appointments.board.reply.windowOpen', { when: f.dateTime(r.windowEndsAt) })}</small>
        )}
      </label>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy || !text.trim()} data-testid="reply-answer-send">
          {t('appointments.board.reply.send')}
        </button>
      </div>
    </form>
  );
}
