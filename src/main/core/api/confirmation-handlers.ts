import { DateTime } from 'luxon';
import type { AppointmentOverlap, OpenReplyDetail, RescheduleResult } from '../../../shared/appointments-api';
import type { Language } from '../../../shared/domain';
import { actingAs } from '../audit/acting';
import { instantOfWallClock, localTimeTexts, wallClockOfIso } from '../intake/local-time';
import { sendManually } from '../outbox/manual-send';
import { replanRescheduled } from '../scheduler/reschedule';
import { formatLocalWhen } from '../scheduler/rules';
import { sendingChannel } from '../settings/settings-service';
import {
  answersOf,
  appointmentsByIds,
  attendRescheduleRequests,
  boardAppointmentIds,
  confirmationCounts,
  failedRemindersOf,
  latestRepliesOf,
  moveAppointment,
  patientAppointmentsNear,
  patientNamesByIds,
  professionalSlotTaken,
  reminderViewsOf,
  replyFacts,
  reschedulableAppointment,
  type SiteWindow,
} from '../store/appointment-board-repo';
import { getAppointment, setAppointmentSourceStatus } from '../store/appointments-repo';
import { getSite, listSites } from '../store/clinic-repo';
import { lastInboundAt } from '../store/messages-repo';
import { markReplyAttended, openReplies, planningRow } from '../store/reminders-repo';
import { appointmentIssueViews } from './appointment-issue-views';
import { HandlerError } from './handler-error';
import { USER, type HandlerContext, type HandlersFor } from './handler-context';

type ConfirmationHandlerName =
  | 'appointments.board'
  | 'appointments.overlaps'
  | 'appointments.reschedule'
  | 'replies.details'
  | 'replies.answer'
  | 'replies.cancelAppointment';

const HOUR = 3_600_000;
const WINDOW_MS = 24 * HOUR;
/** The template that tells a patient the new time: name, service, site, local date and time. */
export const RESCHEDULE_TEMPLATE = 'cita_reprogramada';

type Texts = Record<
  | 'not_active'
  | 'past_time'
  | 'same_time'
  | 'no_phone'
  | 'no_consent'
  | 'no_appointment'
  | 'unknown_patient'
  | 'window_closed'
  | 'reply_closed',
  string
>;

const texts: Record<Language, Texts> = {
  es: {
    not_active: 'Solo se puede reprogramar una cita reservada o confirmada: reábrala primero.',
    past_time: 'La nueva hora ya pasó: elija una fecha y hora por venir.',
    same_time: 'La cita ya es a esa hora.',
    no_phone: 'No se avisó al paciente: no tiene un celular válido. Corríjalo en Pacientes.',
    no_consent:
      'No se avisó al paciente: no autorizó mensajes por WhatsApp y no escribió en las últimas 24 horas. Avísele por teléfono.',
    no_appointment: 'No se sabe a qué cita responde este mensaje: reprograme o cancele la cita desde su fila.',
    unknown_patient: 'El número que escribió no corresponde a ningún paciente registrado: regístrelo en Pacientes.',
    window_closed:
      'Pasaron más de 24 horas desde que el paciente escribió: WhatsApp ya no permite un texto libre. Use Mensajes → Nuevo mensaje con una plantilla.',
    reply_closed: 'Esta respuesta ya fue atendida.',
  },
  en: {
    not_active: 'Only a booked or confirmed appointment can be rescheduled: reopen it first.',
    past_time: 'The new time has already passed: choose a date and time ahead.',
    same_time: 'The appointment is already at that time.',
    no_phone: 'The patient was not told: they have no valid mobile number. Fix it in Patients.',
    no_consent:
      'The patient was not told: they have not agreed to WhatsApp messages and have not written in the last 24 hours. Call them.',
    no_appointment: 'It is not known which appointment this message answers: reschedule or cancel it from its row.',
    unknown_patient: 'The number that wrote belongs to no registered patient: register them in Patients.',
    window_closed:
      'More than 24 hours have passed since the patient wrote: WhatsApp no longer allows free text. Use Messages → New message with a template.',
    reply_closed: 'This reply was already attended.',
  },
};

const noticeBody: Record<Language, (first: string, service: string, site: string, when: string) => string> = {
  es: (first, service, site, when) => `Hola ${first}, su cita de ${service} en ${site} se reprogramó para el ${when}.`,
  en: (first, service, site, when) => `Hello ${first}, your ${service} appointment at ${site} was moved to ${when}.`,
};

/** Citas: the day counted by answers, rescheduling, the double-booking warning, and acting on a patient's reply. */
export function confirmationHandlers(ctx: HandlerContext): HandlersFor<ConfirmationHandlerName> {
  const lang = (): Language => ctx.settings.get().language;
  const refuse = (code: keyof Texts): HandlerError => new HandlerError(code, texts[lang()][code]);
  const notFound = (): HandlerError =>
    new HandlerError('not_found', lang() === 'es' ? 'No se encontró el registro.' : 'The record was not found.');
  const who = (): string => actingAs(USER).actor;

  const windowsOf = (day: string, siteId: number | undefined): SiteWindow[] =>
    listSites(ctx.db)
      .filter((s) => siteId === undefined || s.id === siteId)
      .map((s) => {
        const start = DateTime.fromISO(day, { zone: s.timeZone }).startOf('day');
        return { siteId: s.id, from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
      });

  const replyDetails = (): OpenReplyDetail[] => {
    const rows = openReplies(ctx.db, 200);
    const appointments = new Map(
      appointmentsByIds(ctx.db, rows.flatMap((r) => (r.appointmentId === null ? [] : [r.appointmentId]))).map((a) => [a.id, a]),
    );
    const names = patientNamesByIds(ctx.db, rows.flatMap((r) => (r.patientId === null ? [] : [r.patientId])));
    return rows.map((r) => {
      const appointment = r.appointmentId === null ? null : (appointments.get(r.appointmentId) ?? null);
      const lastIn = lastInboundAt(ctx.db, r.fromPhone);
      return {
        replyId: r.replyId,
        appointmentId: r.appointmentId,
        intent: r.intent,
        reason: r.reason,
        body: r.body,
        fromPhone: r.fromPhone,
        patientId: r.patientId ?? appointment?.patientId ?? null,
        receivedAt: r.receivedAt,
        patientName: (r.patientId !== null ? names.get(r.patientId) : undefined) ?? appointment?.patientName ?? null,
        appointment,
        windowEndsAt: lastIn === null ? null : lastIn + WINDOW_MS,
        windowOpen: lastIn !== null && ctx.now() - lastIn < WINDOW_MS,
      };
    });
  };

  const openReply = (replyId: number) => {
    const facts = replyFacts(ctx.db, replyId);
    if (!facts) throw notFound();
    if (!facts.open) throw refuse('reply_closed');
    return facts;
  };

  /** The message telling the patient the new time, or why it cannot go. */
  const queueNotice = (appointmentId: number, siteName: string, timeZone: string): RescheduleResult['notice'] => {
    const row = planningRow(ctx.db, appointmentId);
    if (!row) return null;
    if (!row.phoneE164) return { queued: false, reason: texts[lang()].no_phone };
    const lastIn = lastInboundAt(ctx.db, row.phoneE164);
    const windowOpen = lastIn !== null && ctx.now() - lastIn < WINDOW_MS;
    // Outside the window this is a business-initiated message: only with the patient's opt-in.
    if (!windowOpen && row.consent !== 'opted_in') return { queued: false, reason: texts[lang()].no_consent };
    const when = formatLocalWhen(row.startsAt, timeZone, row.language);
    const first = row.firstNames.trim();
    const { message } = ctx.outbox.enqueue(
      {
        kind: 'manual',
        idempotencyKey: `reschedule-notice:${appointmentId}:${ctx.now()}`,
        patientId: row.patientId,
        siteId: row.siteId,
        serviceId: row.serviceId,
        appointmentId,
        resultId: null,
        resendOf: null,
        channel: sendingChannel(ctx.settings),
        toPhone: row.phoneE164,
        templateName: RESCHEDULE_TEMPLATE,
        templateLanguage: row.language,
        templateParams: [first, row.serviceName, siteName, when],
        body: noticeBody[row.language](first, row.serviceName, siteName, when),
        priority: 1, // clinical, like the reminders it replaces
        notBefore: ctx.now(),
      },
      USER,
    );
    return { queued: true, messageId: message.id };
  };

  return {
    'appointments.board': (args) => {
      const windows = windowsOf(args.day, args.siteId);
      const ids = boardAppointmentIds(ctx.db, windows, args.filter);
      return {
        counts: confirmationCounts(ctx.db, windows),
        appointments: appointmentsByIds(ctx.db, ids),
        reminders: reminderViewsOf(ctx.db, ids),
        answers: answersOf(ctx.db, ids),
        issues: appointmentIssueViews(ctx.db, ids),
        replies: latestRepliesOf(ctx.db, ids),
        failedReminders: failedRemindersOf(ctx.db, ids),
      };
    },

    'appointments.overlaps': (args) => {
      const excludeId = args.excludeId ?? null;
      const found: AppointmentOverlap[] = patientAppointmentsNear(ctx.db, {
        patientId: args.patientId,
        startsAt: args.startsAt,
        withinMs: HOUR,
        excludeId,
      }).map((appointment) => ({ appointment, kind: 'patient' }));
      // Only imported appointments name a professional: the slot is theirs at that site and minute.
      const professional = excludeId !== null ? (reschedulableAppointment(ctx.db, excludeId)?.professional ?? null) : null;
      if (professional) {
        for (const appointment of professionalSlotTaken(ctx.db, {
          professional,
          siteId: args.siteId,
          startsAt: args.startsAt,
          excludeId,
          patientId: args.patientId,
        })) {
          found.push({ appointment, kind: 'professional' });
        }
      }
      return found;
    },

    'appointments.reschedule': (args) => {
      const current = reschedulableAppointment(ctx.db, args.id);
      if (!current) throw notFound();
      if (current.status !== 'booked' && current.status !== 'confirmed') throw refuse('not_active');
      if (args.replyId !== undefined) openReply(args.replyId);
      const site = getSite(ctx.db, current.siteId);
      if (!site) throw notFound();
      const wall = wallClockOfIso(args.localDateTime);
      const local = wall ? instantOfWallClock(wall, site.timeZone) : ({ ok: false, code: 'invalid_time' } as const);
      const shown = args.localDateTime.replace('T', ' ');
      if (!local.ok) {
        const reason =
          local.code === 'skipped_time' ? localTimeTexts.skipped(shown, site.timeZone) : localTimeTexts.invalid(shown);
        throw new HandlerError(local.code, reason[lang()]);
      }
      if (local.at <= ctx.now()) throw refuse('past_time');
      if (local.at === current.startsAt) throw refuse('same_time');

      const result = ctx.db.transaction(() => {
        const at = ctx.now();
        moveAppointment(ctx.db, current.id, local.at, at);
        const withdrawn = replanRescheduled(
          { db: ctx.db, outbox: ctx.outbox, planner: ctx.planner, language: lang },
          { id: current.id, oldStartsAt: current.startsAt, newStartsAt: local.at, timeZone: site.timeZone },
        );
        if (args.replyId !== undefined) markReplyAttended(ctx.db, args.replyId, who(), at);
        attendRescheduleRequests(ctx.db, current.id, who(), at);
        const notice = args.notifyPatient ? queueNotice(current.id, site.name, site.timeZone) : null;
        return { withdrawn, notice };
      })();
      ctx.audit('appointment.rescheduled', 'appointment', current.id, {
        from: current.startsAt,
        to: local.at,
        withdrawn: result.withdrawn,
        notified: result.notice?.queued === true ? result.notice.messageId : false,
        replyId: args.replyId ?? null,
      });
      const appointment = getAppointment(ctx.db, current.id);
      if (!appointment) throw notFound();
      return { appointment, withdrawn: result.withdrawn, ambiguous: local.ambiguous, notice: result.notice };
    },

    'replies.details': () => replyDetails(),

    'replies.answer': (args) => {
      const facts = openReply(args.replyId);
      const patientId =
        facts.patientId ?? (facts.appointmentId !== null ? (getAppointment(ctx.db, facts.appointmentId)?.patientId ?? null) : null);
      if (patientId === null) throw refuse('unknown_patient');
      const lastIn = lastInboundAt(ctx.db, facts.fromPhone);
      // Free text only while WhatsApp's customer-service window is open; after it only a template may go.
      if (lastIn === null || ctx.now() - lastIn >= WINDOW_MS) throw refuse('window_closed');
      const message = sendManually(ctx, { patientId, mode: 'text', text: args.text }, USER);
      ctx.audit('reply.answered', 'reply', args.replyId, { messageId: message.id });
      return replyDetails();
    },

    'replies.cancelAppointment': (args) => {
      const facts = openReply(args.replyId);
      if (facts.appointmentId === null) throw refuse('no_appointment');
      const appointmentId = facts.appointmentId;
      ctx.db.transaction(() => {
        const at = ctx.now();
        setAppointmentSourceStatus(ctx.db, appointmentId, 'cancelled', at);
        ctx.planner.planAppointment(appointmentId);
        markReplyAttended(ctx.db, args.replyId, who(), at);
      })();
      ctx.audit('appointment.status', 'appointment', appointmentId, { status: 'cancelled', replyId: args.replyId });
      return replyDetails();
    },
  };
}
