import { initial } from './001-initial';
import { linkedDevice } from './002-linked-device';
import { reminders } from './003-reminders';
import { results } from './004-results';
import { attendanceConsent } from './005-attendance-consent';
import { panel } from './006-panel';
import { campaigns } from './007-campaigns';
import { emailEvidence } from './008-email-evidence';
import type Database from 'better-sqlite3';
import { allowDismissedResults, resultLinks } from './009-result-links';
import { urgentIndex } from './010-urgent-index';
import { linkedDeviceAddresses } from './011-linked-device-addresses';
import { hl7Refused } from './012-hl7-refused';
import { signatureWarning } from './013-signature-warning';
import { webhookReception } from './014-webhook-reception';
import { backupsJobs } from './015-backups-jobs';
import { people } from './017-people';
import { resendIndex } from './018-resend-index';
import { narrowPanelTriggers } from './019-narrow-panel-triggers';
import { professionalCredentials } from './021-professional-credentials';
import { peopleActors } from './022-people-actors';
import { searchColumns } from './023-search-columns';
import { sitePanelDays } from './024-site-day-panel';
import { clinicDbRefused } from './024-clinic-db-refused';
import { dropUnusedMessageIndex } from './025-drop-unused-message-index';
import { panelLatencyTable } from './026-panel-latency-table';

export interface Migration {
  version: number;
  sql: string;
  /**
   * Rebuilds a table other tables reference, before `sql` runs and in the same transaction: with foreign keys off,
   * checked as a whole before the migration commits.
   */
  rebuild?: (db: Database.Database) => void;
}

/** Numbered, append-only: never edit a migration that has shipped, add the next number instead. */
export const migrations: Migration[] = [
  { version: 1, sql: initial },
  { version: 2, sql: linkedDevice },
  { version: 3, sql: reminders },
  { version: 4, sql: results },
  { version: 5, sql: attendanceConsent },
  { version: 6, sql: panel },
  { version: 7, sql: campaigns },
  { version: 8, sql: emailEvidence },
  { version: 9, sql: resultLinks, rebuild: allowDismissedResults },
  { version: 10, sql: urgentIndex },
  { version: 11, sql: linkedDeviceAddresses },
  { version: 12, sql: hl7Refused },
  { version: 13, sql: signatureWarning },
  { version: 14, sql: webhookReception },
  { version: 15, sql: backupsJobs },
  { version: 17, sql: people },
  { version: 18, sql: resendIndex },
  { version: 19, sql: narrowPanelTriggers },
  { version: 21, sql: professionalCredentials },
  { version: 22, sql: peopleActors },
  { version: 23, sql: searchColumns },
  { version: 24, sql: sitePanelDays + clinicDbRefused },
  { version: 25, sql: dropUnusedMessageIndex },
  { version: 26, sql: panelLatencyTable },
];
