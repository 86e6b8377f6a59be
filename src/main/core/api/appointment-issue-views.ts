import type { AppointmentDay } from '../../../shared/api';
import type { Db } from '../store/db';
import { issuesOfAppointments } from '../store/reminders-repo';

/** The planning issues of some appointments as Citas shows them: what will not go and why, without the bookkeeping. */
export function appointmentIssueViews(db: Db, appointmentIds: readonly number[]): AppointmentDay['issues'] {
  return issuesOfAppointments(db, appointmentIds).map((i) => ({
    appointmentId: i.appointmentId,
    ruleKey: i.ruleKey,
    code: i.code,
    severity: i.severity,
    reason: i.reason,
  }));
}
