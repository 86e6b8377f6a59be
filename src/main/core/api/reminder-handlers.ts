import type { ReminderRuleView, ReminderSettingsView } from '../../../shared/api';
import { text } from '../i18n';
import { formatLocalWhen, planRemindersDetailed, ruleKeyForLead } from '../scheduler/rules';
import type { Planner } from '../scheduler/planner';
import { getAppointment, listAppointments, upsertAppointment, setAppointmentSourceStatus } from '../store/appointments-repo';
import { getSite, listServices } from '../store/clinic-repo';
import {
  deleteReminderRule,
  insertReminderRule,
  listReminderRules,
  listReminderSettings,
  reminderSettingsFor,
  setReminderSettings,
  updateReminderRule,
} from '../store/reminder-rules-repo';
import {
  answersForAppointmentsStarting,
  markReplyAttended,
  openReplies,
  remindersForAppointmentsStarting,
} from '../store/reminders-repo';
import { getPatient } from '../store/patients-repo';
import { importAppointmentsCsv, previewAppointmentsCsv } from '../intake/appointments-csv-import';
import { appointmentIssueViews } from './appointment-issue-views';
import { HandlerError } from './handler-error';
import { actingAs } from '../audit/acting';
import { USER, type HandlerContext, type HandlersFor } from './handler-context';

type ReminderHandlerName =
  | 'appointments.list'
  | 'appointments.day'
  | 'appointments.create'
  | 'appointments.setStatus'
  | 'appointments.csvPreview'
  | 'appointments.csvImport'
  | 'reminders.rules'
  | 'reminders.saveRule'
  | 'reminders.deleteRule'
  | 'reminders.saveSettings'
  | 'reminders.preview'
  | 'replies.open'
  | 'replies.attend';

type Handlers = HandlersFor<ReminderHandlerName>;

/** Citas and Ajustes → Recordatorios: appointments with their reminders, rules, quiet hours and a preview. */
export function reminderHandlers(ctx: HandlerContext, planner: Planner): Handlers {
  const lang = () => ctx.settings.get().language;
  const audit = ctx.audit;
  const notFound = () => new HandlerError('not_found', text(lang(), 'error.not_found'));

  const rulesView = (): { rules: ReminderRuleView[]; settings: ReminderSettingsView[] } => ({
    rules: listReminderRules(ctx.db).map(({ updatedAt: _u, ...rule }) => rule),
    settings: listReminderSettings(ctx.db).map(({ updatedAt: _u, ...s }) => s),
  });
  // Rules and quiet hours decide every reminder still ahead: re-plan them all after a change.
  const replanAll = () => planner.planUpcoming();

  return {
    'appointments.list': (args) => listAppointments(ctx.db, args),

    'appointments.day': (args) => {
      const appointments = listAppointments(ctx.db, args);
      const ids = appointments.map((a) => a.id);
      return {
        appointments,
        reminders: remindersForAppointmentsStarting(ctx.db, args).map((r) => ({
          appointmentId: r.appointmentId,
          messageId: r.messageId,
          ruleKey: r.ruleKey,
          state: r.state,
          notBefore: r.notBefore,
          sentAt: r.sentAt,
          lastErrorReason: r.lastErrorReason,
        })),
        answers: answersForAppointmentsStarting(ctx.db, args),
        issues: appointmentIssueViews(ctx.db, ids),
      };
    },

    'appointments.create': (args) => {
      if (!getPatient(ctx.db, args.patientId) || !getSite(ctx.db, args.siteId)) throw notFound();
      const id = ctx.db.transaction(() => {
        const at = ctx.now();
        const id = upsertAppointment(
          ctx.db,
          { ...args, status: 'booked', source: 'manual', sourceKey: `manual:${at}:${args.patientId}`, professional: null },
          at,
        );
        planner.planAppointment(id);
        return id;
      })();
      audit('appointment.created', 'appointment', id);
      const created = getAppointment(ctx.db, id);
      if (!created) throw notFound();
      return created;
    },

    'appointments.setStatus': (args) => {
      if (!getAppointment(ctx.db, args.id)) throw notFound();
      ctx.db.transaction(() => {
        setAppointmentSourceStatus(ctx.db, args.id, args.status, ctx.now());
        planner.planAppointment(args.id);
      })();
      audit('appointment.status', 'appointment', args.id, { status: args.status });
      const updated = getAppointment(ctx.db, args.id);
      if (!updated) throw notFound();
      return updated;
    },

    'appointments.csvPreview': (args) => previewAppointmentsCsv(ctx.db, args.csv, { at: ctx.now(), language: lang() }),

    'appointments.csvImport': (args) => {
      const result = importAppointmentsCsv(ctx.db, planner, args.csv, { at: ctx.now(), language: lang() });
      // The rows left out stay on record with their reasons, not only on the screen that showed them.
      const rejected = result.rows
        .filter((r) => r.errors.length > 0)
        .slice(0, 500)
        .map((r) => ({ line: r.line, document: r.documentNumber, reasons: r.errors.map((e) => e.reason) }));
      audit('appointments.csv_imported', 'appointment', null, {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        invalid: result.invalid,
        fileError: result.fileError,
        rejected,
      });
      return result;
    },

    'reminders.rules': () => rulesView(),

    'reminders.saveRule': (args) => {
      const at = ctx.now();
      if (args.id !== undefined) {
        const patch = {
          leadMinutes: args.leadMinutes,
          templateName: args.templateName,
          ...(args.templateLanguage ? { templateLanguage: args.templateLanguage } : {}),
          ...(args.enabled !== undefined ? { enabled: args.enabled } : {}),
        };
        if (!updateReminderRule(ctx.db, args.id, patch, at)) throw notFound();
      } else if (listReminderRules(ctx.db).some((r) => r.siteId === args.siteId && r.serviceId === args.serviceId && r.leadMinutes === args.leadMinutes)) {
        throw new HandlerError('duplicate_rule', text(lang(), 'error.duplicate_rule'));
      } else {
        insertReminderRule(
          ctx.db,
          {
            ruleKey: ruleKeyForLead(args.leadMinutes),
            siteId: args.siteId,
            serviceId: args.serviceId,
            leadMinutes: args.leadMinutes,
            templateName: args.templateName,
            templateLanguage: args.templateLanguage,
            enabled: args.enabled,
          },
          at,
        );
      }
      audit('reminders.rule_saved', 'reminder_rule', args.id ?? null, { leadMinutes: args.leadMinutes });
      replanAll();
      return rulesView();
    },

    'reminders.deleteRule': (args) => {
      if (!deleteReminderRule(ctx.db, args.id)) throw notFound();
      audit('reminders.rule_deleted', 'reminder_rule', args.id);
      replanAll();
      return rulesView();
    },

    'reminders.saveSettings': (args) => {
      const { siteId, ...patch } = args;
      setReminderSettings(ctx.db, siteId, patch, ctx.now());
      audit('reminders.settings_saved', 'reminder_settings', siteId);
      replanAll();
      return rulesView();
    },

    'reminders.preview': (args) => {
      const site = getSite(ctx.db, args.siteId);
      if (!site) throw notFound();
      const settings = reminderSettingsFor(ctx.db, site.id);
      const service = listServices(ctx.db).find((s) => s.id === args.serviceId);
      const now = ctx.now();
      const plan = planRemindersDetailed(
        {
          id: 0,
          siteId: site.id,
          serviceId: args.serviceId,
          startsAt: args.startsAt,
          bookedAt: args.bookedAt ?? now,
          status: 'booked',
          serviceName: service?.name,
        },
        listReminderRules(ctx.db),
        { ...settings, id: site.id, name: site.name, timeZone: site.timeZone },
        now,
      );
      const when = (at: number) => formatLocalWhen(at, site.timeZone, lang());
      return {
        planned: plan.planned.map((p) => ({
          ruleKey: p.ruleKey,
          sendAt: p.sendAt,
          localWhen: when(p.sendAt),
          movedForQuietHours: p.movedForQuietHours,
          templateName: p.templateName,
        })),
        skipped: plan.skipped.map((s) => ({ ruleKey: s.ruleKey, code: s.code, sendAt: s.sendAt, localWhen: when(s.sendAt) })),
      };
    },

    'replies.open': () => openReplies(ctx.db, 200),
    'replies.attend': (args) => {
      const by = actingAs(USER);
      markReplyAttended(ctx.db, args.replyId, by.actor, ctx.now(), by.personId);
      audit('reply.attended', 'reply', args.replyId);
      return openReplies(ctx.db, 200);
    },
  };
}
