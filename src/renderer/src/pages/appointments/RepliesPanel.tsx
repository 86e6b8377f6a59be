import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OpenReplyDetail } from '../../../../shared/appointments-api';
import type { Appointment } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useReplyDetails } from '../../api/resources';
import { Chip } from '../../components/Chip';
import { DataTable, type Column } from '../../components/DataTable';
import { FormActions } from '../../components/FormActions';
import { useAction, useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { useFormat, type Formatters } from '../../format';
import { CancelQuestion } from './CancelQuestion';
import { useFocusBack } from './useFocusBack';

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
  const f = useFormat();
  const loaded = useReplyDetails();
  // The list an action returns is fresher than the last load, until the next one.
  const [latest, setLatest] = useState<{ from: OpenReplyDetail[] | undefined; rows: OpenReplyDetail[] } | null>(null);
  const replies = latest && latest.from === loaded.data ? latest.rows : loaded.data;
  const update = (rows: OpenReplyDetail[] | null): void => {
    if (rows) setLatest({ from: loaded.data, rows });
    else loaded.reload();
    onChanged();
  };
  const [opened, setOpened] = useState<Opened>(null);
  const close = (): void => setOpened(null);
  const done = (rows: OpenReplyDetail[]): void => {
    setOpened(null);
    update(rows);
  };
  const columns = replyColumns({ t, f, opened, onOpen: setOpened, onUpdated: update, onReschedule });

  return (
    <section className="card" data-testid="replies-open">
      <div className="card-head">
        <h3>
          {t('replies.title')} {replies && replies.length > 0 && <Chip tone="warn">{replies.length}</Chip>}
        </h3>
      </div>
      <p className="hint">{t('replies.hint')}</p>
      <DataTable
        framed="inner"
        className="replies-table"
        columns={columns}
        rows={replies}
        rowKey={(r) => r.replyId}
        rowProps={(r) => ({ 'data-testid': 'reply-row', 'data-id': r.replyId })}
        below={(r) => [
          opened?.replyId === r.replyId && opened.what === 'cancel' && r.appointment && (
            <CancelFromReply r={r} apt={r.appointment} onNo={close} onDone={(rows) => done(rows)} />
          ),
          opened?.replyId === r.replyId && opened.what === 'answer' && (
            <AnswerForm r={r} onSent={(rows) => done(rows)} onClose={close} />
          ),
        ]}
        belowClassName="apt-action-row"
        error={loaded.error}
        onRetry={loaded.reload}
      />
      {replies?.length === 0 && <p className="muted">{t('replies.empty')}</p>}
    </section>
  );
}

/** What opened under a reply: the answer form, or the question before cancelling its appointment. */
type Opened = { replyId: number; what: 'answer' | 'cancel' } | null;

/** What the columns need besides the reply. */
interface ReplyContext {
  t: TFunction;
  f: Formatters;
  opened: Opened;
  onOpen: (opened: Opened) => void;
  onUpdated: (rows: OpenReplyDetail[] | null) => void;
  onReschedule: (appointment: Appointment, replyId: number) => void;
}

function replyColumns(c: ReplyContext): Column<OpenReplyDetail>[] {
  const { t, f } = c;
  return [
    { key: 'received', header: t('replies.received'), className: 'nowrap', cell: (r) => f.dateTime(r.receivedAt) },
    {
      key: 'from',
      header: t('replies.from'),
      cell: (r) => (
        <>
          <div className="strong" data-testid="reply-patient">
            {r.patientName ?? t('appointments.board.reply.unknownPatient')}
          </div>
          {r.appointment && (
            <div className="muted" data-testid="reply-appointment">
              {t('appointments.board.reply.appointment', {
                when: f.dateTime(r.appointment.startsAt, r.appointment.timeZone),
                service: r.appointment.serviceName,
                site: r.appointment.siteName,
              })}
            </div>
          )}
          <div className="muted nowrap">{r.fromPhone}</div>
        </>
      ),
    },
    { key: 'text', header: t('replies.text'), className: 'body-text', cell: (r) => `«${r.body}»` },
    {
      key: 'why',
      header: t('replies.why'),
      cell: (r) => (
        <>
          <Chip tone={intentOf(r.intent) === 'unknown' ? 'warn' : 'info'}>{t(`replies.intent.${intentOf(r.intent)}`)}</Chip>
          {r.reason && <div className="reason-text">{r.reason}</div>}
        </>
      ),
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: (r) => (
        <ReplyActions
          r={r}
          opened={c.opened?.replyId === r.replyId ? c.opened.what : null}
          onOpen={(what) => c.onOpen(what && { replyId: r.replyId, what })}
          onUpdated={c.onUpdated}
          onReschedule={c.onReschedule}
        />
      ),
    },
  ];
}

/** Responder, Reprogramar, Cancelar cita (asked first, under the row) and Atendida. */
function ReplyActions({
  r,
  opened,
  onOpen,
  onUpdated,
  onReschedule,
}: {
  r: OpenReplyDetail;
  opened: 'answer' | 'cancel' | null;
  onOpen: (what: 'answer' | 'cancel' | null) => void;
  onUpdated: (rows: OpenReplyDetail[] | null) => void;
  onReschedule: (appointment: Appointment, replyId: number) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const cancelButton = useFocusBack(opened === 'cancel');
  const apt = r.appointment;
  const canChange = apt !== null && ACTIVE.has(apt.status);

  const attend = async (): Promise<void> => {
    const rows = await run(() => call('replies.attend', { replyId: r.replyId }));
    if (!rows) return;
    notify.ok(t('replies.attended'));
    onUpdated(null);
  };

  return (
    <div className="apt-actions">
      <button
        type="button"
        className="secondary small"
        disabled={busy}
        onClick={() => onOpen(opened === 'answer' ? null : 'answer')}
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
            ref={cancelButton}
            type="button"
            className="link danger small"
            disabled={busy}
            onClick={() => onOpen('cancel')}
            aria-expanded={opened === 'cancel'}
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
  );
}

/** "Cancelar cita" from a reply, once the person said yes: the appointment is cancelled and the reply attended. */
function CancelFromReply({
  r,
  apt,
  onDone,
  onNo,
}: {
  r: OpenReplyDetail;
  apt: Appointment;
  onDone: (rows: OpenReplyDetail[]) => void;
  onNo: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const cancel = async (): Promise<void> => {
    const rows = await run(() => call('replies.cancelAppointment', { replyId: r.replyId }));
    if (!rows) return;
    notify.ok(t('appointments.cancelled'));
    onDone(rows);
  };
  return <CancelQuestion apt={apt} busy={busy} onYes={() => void cancel()} onNo={onNo} testId="reply-cancel-confirm" />;
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
      <FormActions
        error={error}
        busy={busy}
        onCancel={onClose}
        submit={t('appointments.board.reply.send')}
        submitTestId="reply-answer-send"
        disabled={!text.trim()}
      />
    </form>
  );
}
