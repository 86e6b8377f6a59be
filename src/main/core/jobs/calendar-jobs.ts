import type { JobRegistry } from './job-registry';
import { daily, type JobRule } from './job-rules';

/**
 * Every calendar job Avisa runs, in one place (besides these, the clinic-database poll registers itself per source,
 * every `pollSeconds`, under `clinicDb.poll <kind>`, and a storage fault adds `storage.recheck`). Each runs in its site's zone (the clinic's first site for clinic-wide
 * work), and the list is set again when a time or a zone changes. Not here: the dispatcher's own wake-up (it sleeps
 * until the next due message) and retries of a failed backup (minutes after a failure, not a time of day).
 */
export interface CalendarJobs {
  clinicZone: () => string;
  /** Every distinct zone among the sites. */
  siteZones: () => string[];
  backupTime: () => string | null;
  runBackup: () => Promise<void>;
  /** Reminders entering the planning horizon, and the catch-up after downtime. */
  advancePlanning: () => void;
  /** Warns when the signing certificate is expired or about to be: throws the warning so Estado shows it. */
  checkCertificate: () => void;
  /** A new local day opened in a zone: daily caps counted per local day let messages go again. */
  dailyCapsReset: (zone: string) => void;
}

export const CERTIFICATE_CHECK_AT = '08:00';

export function calendarJobSpecs(c: CalendarJobs): { name: string; rule: JobRule; zone: string; run: () => void | Promise<void> }[] {
  const zone = c.clinicZone();
  const backup = c.backupTime();
  return [
    ...(backup ? [{ name: 'backup.nightly', rule: daily(backup), zone, run: c.runBackup }] : []),
    { name: 'reminders.advance', rule: { kind: 'hourly', minute: 0 } as JobRule, zone, run: c.advancePlanning },
    { name: 'certificate.expiry', rule: daily(CERTIFICATE_CHECK_AT), zone, run: c.checkCertificate },
    ...c.siteZones().map((z) => ({ name: `dailyCap.reset ${z}`, rule: daily('00:00'), zone: z, run: () => c.dailyCapsReset(z) })),
  ];
}

/** Sets the registry to exactly these jobs: new ones added, changed ones re-armed, gone ones cancelled. */
export function applyCalendarJobs(registry: JobRegistry, c: CalendarJobs): void {
  const specs = calendarJobSpecs(c);
  const wanted = new Set(specs.map((s) => s.name));
  // Jobs other modules keep themselves (the clinic-database poll, the storage re-check) are left alone.
  for (const name of registry.names()) if (!wanted.has(name) && !name.startsWith('storage.') && !name.startsWith('clinicDb.')) registry.remove(name);
  for (const spec of specs) registry.set(spec);
}
