import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { zoneCity } from '../../zones';
import type { AppointmentDay } from '../../../../shared/api';
import type { AppointmentBoard, AppointmentReplyView } from '../../../../shared/appointments-api';
import type { Appointment, AppointmentStatus, MessageState } from '../../../../shared/domain';
import { call } from '../../api/client';
import { Chip } from '../../components/Chip';
import type { Column, RowProps } from '../../components/DataTable';
import { useAction, useNotify } from '../../components/Notify';
import { appointmentTone, messageTone } from '../../components/tones';
import { dayOf, useFormat, type Formatters } from '../../format';
import { useLeadLabel } from '../../leadTime';
import { CancelQuestion } from './CancelQuestion';
import { useFocusBack } from './useFocusBack';

type Reminder = AppointmentDay['reminders'][number];
type Answer = AppointmentDay['answers'][number];
type Issue = AppointmentDay['issues'][number];
type FailedReminder = AppointmentBoard['failedReminders'][number];

const ACTIVE: ReadonlySet<AppointmentStatus> = new Set(['booked', 'confirmed']);
// Reached WhatsApp: the time shown is when it went, not when it was planned.
const WENT: ReadonlySet<MessageState> = new Set(['sent', 'delivered', 'read']);
// Issue codes with a short label of their own (`appointments.issue.*`); any other shows the core's reason only.
const ISSUE_CODES = [
  'no_phone',
  'no_consent',
  'opted_out',
  'too_close_to_booking',
  'quiet_hours',
  'merged',
  'too_late',
  'rule_removed',
  'already_sent',
] as const;
type IssueCode = (typeof ISSUE_CODES)[number];
const hasLabel = (code: string): code is IssueCode => (ISSUE_CODES as readonly string[]).includes(code);

/** One appointment of the board with what the board says about it. */
export interface BoardRow {
  a: Appointment;
  reminders: Reminder[];
  answer: Answer | null;
  issues: Issue[];
  /** The patient's latest reply about this appointment's current time. */
  reply: AppointmentReplyView | null;
  failed: FailedReminder[];
}

/** The board's appointments, each with its own reminders, answer, issues, reply and failed reminders. */
export function boardRows(data: AppointmentBoard | undefined): BoardRow[] {
  if (!data) return [];
  return data.appointments.map((a) => ({
    a,
    reminders: data.reminders.filter((r) => r.appointmentId === a.id),
    answer: data.answers.find((x) => x.appointmentId === a.id) ?? null,
    issues: data.issues.filter((i) => i.appointmentId === a.id),
    reply: data.replies.find((r) => r.appointmentId === a.id) ?? null,
    failed: data.failedReminders.filter((r) => r.appointmentId === a.id),
  }));
}

const confirmedOf = ({ a, answer }: BoardRow): boolean => a.status === 'confirmed' || answer?.answer === 'confirmed';

/** A row says its appointment, its status and whether it is confirmed; a confirmed or troubled row is marked. */
export function appointmentRowProps(row: BoardRow): RowProps {
  const confirmed = confirmedOf(row);
  const rowClass = [confirmed ? 'row-confirmed' : '', row.issues.some(isProblem) ? 'row-warn' : ''].filter(Boolean).join(' ');
  return {
    'data-testid': 'apt-row',
    'data-id': row.a.id,
    'data-status': row.a.status,
    'data-confirmed': String(confirmed),
    className: rowClass || undefined,
  };
}

/** What the columns need besides the row. */
export interface BoardContext {
  t: TFunction;
  f: Formatters;
  /** Every site on one list: the time cell says which. */
  showSite: boolean;
  onChanged: () => void;
  onReschedule: (a: Appointment) => void;
  /** "Cancelar cita" asks first: the question opens under the row. */
  onAskCancel: (a: Appointment) => void;
  /** The appointment whose question is open. */
  asking: number | null;
  onOpenMessage: (messageId: number) => void;
}

/** One appointment a row: local time, patient, service, status, answer, its reminders and what keeps them from going. */
export function appointmentColumns(c: BoardContext): Column<BoardRow>[] {
  const { t, f } = c;
  return [
    {
      key: 'time',
      header: c.showSite ? t('appointments.board.timeAndSite') : t('appointments.time'),
      className: 'nowrap',
      cellProps: ({ a }) => ({ title: `${f.dateTime(a.startsAt, a.timeZone)} (${zoneCity(a.timeZone)})` }),
      cell: ({ a }) => (
        <>
          <span className="strong">{f.time(a.startsAt, a.timeZone)}</span>
          {c.showSite && (
            <div className="muted apt-site-name" data-testid="apt-site-name">
              {a.siteName}
            </div>
          )}
        </>
      ),
    },
    { key: 'patient', header: t('appointments.patient'), cell: ({ a }) => a.patientName },
    { key: 'service', header: t('appointments.service'), cell: ({ a }) => a.serviceName },
    {
      key: 'status',
      header: t('appointments.status'),
      cell: (row) => {
        const confirmed = confirmedOf(row);
        const { a } = row;
        return (
          <Chip tone={appointmentTone[a.status]} data-testid="apt-status">
            {confirmed && <span aria-hidden="true">✓ </span>}
            {t(`appointmentStatus.${confirmed && a.status === 'booked' ? 'confirmed' : a.status}`)}
          </Chip>
        );
      },
    },
    {
      key: 'answer',
      header: t('appointments.answer'),
      cell: ({ a, reply, answer }) =>
        reply && (!answer || reply.receivedAt > answer.at) ? (
          <ReplyCell reply={reply} timeZone={a.timeZone} />
        ) : answer ? (
          <AnswerCell answer={answer} timeZone={a.timeZone} />
        ) : (
          <span className="muted">{t('common.none')}</span>
        ),
    },
    {
      key: 'reminders',
      header: t('appointments.reminders'),
      cell: ({ a, reminders, failed, issues }) => (
        <>
          <ReminderChips a={a} reminders={reminders} failed={failed} onOpenMessage={c.onOpenMessage} />
          {issues.map((i) => (
            <IssueLine key={`${i.ruleKey}|${i.code}`} issue={i} />
          ))}
        </>
      ),
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: ({ a }) => (
        <AppointmentActions
          a={a}
          asking={c.asking === a.id}
          onChanged={c.onChanged}
          onReschedule={() => c.onReschedule(a)}
          onAskCancel={() => c.onAskCancel(a)}
        />
      ),
    },
  ];
}

/** Reprogramar, Asistió, No asistió and Cancelar cita (asked first) on an active appointment; Reabrir on a closed one. */
function AppointmentActions({
  a,
  asking,
  onChanged,
  onReschedule,
  onAskCancel,
}: {
  a: Appointment;
  asking: boolean;
  onChanged: () => void;
  onReschedule: () => void;
  onAskCancel: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const cancelButton = useFocusBack(asking);

  const setStatus = async (status: 'booked' | 'attended' | 'no_show'): Promise<void> => {
    const updated = await run(() => call('appointments.setStatus', { id: a.id, status }));
    if (!updated) return;
    notify.ok(t('appointments.statusSaved'));
    onChanged();
  };

  // Asistió, No asistió and Reabrir only write the status: a small secondary button each.
  const statusButton = (status: 'booked' | 'attended' | 'no_show', label: string, testId: string, title?: string) => (
    <button
      type="button"
      className="secondary small"
      disabled={busy}
      onClick={() => void setStatus(status)}
      title={title}
      data-testid={testId}
    >
      {label}
    </button>
  );

  return (
    <div className="apt-actions">
      {ACTIVE.has(a.status) ? (
        <>
          <button type="button" className="small" disabled={busy} onClick={onReschedule} data-testid="apt-reschedule">
            {t('appointments.board.reschedule')}
          </button>
          {statusButton('attended', t('appointments.attended'), 'apt-attended')}
          {statusButton('no_show', t('appointments.noShow'), 'apt-no-show')}
          <button
            ref={cancelButton}
            type="button"
            className="link danger small"
            disabled={busy}
            onClick={onAskCancel}
            aria-expanded={asking}
            data-testid="apt-cancel"
          >
            {t('appointments.cancel')}
          </button>
        </>
      ) : (
        statusButton('booked', t('appointments.reopen'), 'apt-reopen', t('appointments.reopenHint'))
      )}
    </div>
  );
}

/** "Cancelar cita" from the board, once the person said yes: its reminders are withdrawn. */
export function CancelAppointment({ a, onDone, onNo }: { a: Appointment; onDone: () => void; onNo: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const cancel = async (): Promise<void> => {
    const updated = await run(() => call('appointments.setStatus', { id: a.id, status: 'cancelled' }));
    if (!updated) return;
    notify.ok(t('appointments.cancelled'));
    onDone();
  };
  return <CancelQuestion apt={a} busy={busy} onYes={() => void cancel()} onNo={onNo} testId="apt-cancel-confirm" />;
}

const isProblem = (i: Issue): boolean => i.severity === 'problem';

function AnswerCell({ answer, timeZone }: { answer: Answer; timeZone: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const confirmed = answer.answer === 'confirmed';
  return (
    <div className="apt-answer" data-testid="apt-answer" data-answer={answer.answer}>
      <Chip tone={confirmed ? 'good' : 'bad'} title={t('appointments.answeredAt', { when: f.dateTime(answer.at, timeZone) })}>
        {confirmed ? t('appointments.answerConfirmed') : t('appointments.answerCancelled')}
      </Chip>
      {answer.replyBody && <div className="reply-text">«{answer.replyBody}»</div>}
    </div>
  );
}

const INTENT_TONE: Record<AppointmentReplyView['intent'], 'good' | 'bad' | 'warn' | 'info'> = {
  confirm: 'good',
  cancel: 'bad',
  reschedule: 'warn',
  opt_out: 'bad',
  opt_in: 'info',
  unknown: 'warn',
};

/** What the patient's reply was understood as ("Pidió cambio"), with their words. */
function ReplyCell({ reply, timeZone }: { reply: AppointmentReplyView; timeZone: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="apt-answer" data-testid="apt-reply" data-intent={reply.intent} data-open={reply.open}>
      <Chip tone={INTENT_TONE[reply.intent]} title={t('appointments.answeredAt', { when: f.dateTime(reply.receivedAt, timeZone) })}>
        {t(`appointments.board.intent.${reply.intent}`)}
      </Chip>
      <div className="reply-text">«{reply.body}»</div>
    </div>
  );
}

/** The latest reminder of each slot, in the order they go: "24 h · Enviado 9:00", "2 h · En cola 8:00". */
function ReminderChips({
  a,
  reminders,
  failed,
  onOpenMessage,
}: {
  a: Appointment;
  reminders: Reminder[];
  failed: FailedReminder[];
  onOpenMessage: (messageId: number) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const lead = useLeadLabel();
  // After a reschedule a slot has older, withdrawn occurrences: the newest one is the one that matters.
  const latest = new Map<string, Reminder>();
  for (const r of reminders) {
    const held = latest.get(r.ruleKey);
    if (!held || r.messageId > held.messageId) latest.set(r.ruleKey, r);
  }
  const shown = [...latest.values()].sort((x, y) => x.notBefore - y.notBefore);
  if (shown.length === 0) return <span className="muted">{t('appointments.noReminders')}</span>;
  const appointmentDay = dayOf(a.startsAt, a.timeZone);

  return (
    <div className="apt-reminders">
      {shown.map((r) => {
        const at = WENT.has(r.state) ? (r.sentAt ?? r.notBefore) : r.notBefore;
        const time = dayOf(at, a.timeZone) === appointmentDay ? f.time(at, a.timeZone) : f.dayTime(at, a.timeZone);
        const when = f.dateTime(at, a.timeZone);
        const label = t('appointments.reminder', { lead: lead(r.ruleKey), state: t(`state.${r.state}`), time });
        // A failed reminder opens its message, where the reason and its fix are.
        if (failed.some((x) => x.messageId === r.messageId)) {
          return (
            <button
              key={r.messageId}
              type="button"
              className="chip-button"
              onClick={() => onOpenMessage(r.messageId)}
              title={r.lastErrorReason ? `${when} · ${r.lastErrorReason}` : when}
              aria-label={`${label} — ${t('appointments.board.openMessage')}`}
              data-testid="apt-reminder-failed"
              data-message={r.messageId}
            >
              <Chip tone={messageTone[r.state]} data-testid="apt-reminder" data-rule={r.ruleKey} data-state={r.state}>
                ⚠ {label}
              </Chip>
            </button>
          );
        }
        return (
          <Chip
            key={r.messageId}
            tone={messageTone[r.state]}
            data-testid="apt-reminder"
            data-rule={r.ruleKey}
            data-state={r.state}
            title={r.lastErrorReason ? `${when} · ${r.lastErrorReason}` : when}
          >
            {label}
          </Chip>
        );
      })}
    </div>
  );
}

function IssueLine({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const lead = useLeadLabel();
  const label = hasLabel(issue.code) ? t(`appointments.issue.${issue.code}`) : null;
  return (
    <div
      className={isProblem(issue) ? 'apt-issue warning' : 'apt-issue muted'}
      role="note"
      data-testid="apt-issue"
      data-code={issue.code}
      data-rule={issue.ruleKey}
      title={issue.reason}
    >
      {isProblem(issue) ? '⚠ ' : ''}
      {issue.ruleKey !== '*' && <span>{lead(issue.ruleKey)}: </span>}
      {label ? (
        <>
          <strong>{label}</strong> <span className="issue-reason">— {issue.reason}</span>
        </>
      ) : (
        issue.reason
      )}
    </div>
  );
}
