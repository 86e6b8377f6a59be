import { DateTime } from 'luxon';
import type { AppOptions } from '../app-types';
import { eventBus } from '../events';
import { syncPanelClock } from '../metrics/clinic-clock';
import { desktopSeat } from '../people/caller';
import { createPeopleService } from '../people/people-service';
import { sendingChannel, settingsService } from '../settings/settings-service';
import { clinicDefaults } from '../store/clinic-repo';
import { secureDataFolder } from '../store/data-folder';
import { openDatabase } from '../store/db';

/** The database, the settings, the people who sign in, the event bus and the clinic's clock: what every stage reads. */
export function buildStoreAndSettings(options: AppOptions) {
  const now = options.now ?? Date.now;
  secureDataFolder(options.dataDir);
  const db = openDatabase(options.dataDir);
  const settings = settingsService(db, options.secretBox, now);
  const language = () => settings.get().language;
  const people = createPeopleService({ db, now, settings: () => settings.get().people });
  const access = { people, seat: desktopSeat(people) };
  const clinicZone = () => clinicDefaults(db).timeZone;
  const defaultCountry = () => clinicDefaults(db).country;
  // Roll-ups created by a migration count in UTC until they know the clinic's zone: recount now, not on first view.
  syncPanelClock(db, clinicZone());
  const bus = eventBus();
  return {
    now,
    db,
    settings,
    language,
    access,
    bus,
    clinicZone,
    defaultCountry,
    /** The clinic's calendar day of an instant, and the start of the next one (daily caps count per clinic day). */
    dayOf: (at: number) => DateTime.fromMillis(at, { zone: clinicZone() }).toISODate() ?? '',
    nextDayStart: (at: number) => DateTime.fromMillis(at, { zone: clinicZone() }).plus({ days: 1 }).startOf('day').toMillis(),
    sendChannel: () => sendingChannel(settings),
    templateLanguage: () => settings.get().cloudApi.templateLanguage,
  };
}

export type StoreStage = ReturnType<typeof buildStoreAndSettings>;
