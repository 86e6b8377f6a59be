import type { Service, Site } from '../../../shared/domain';
import { prepared, type Db } from './db';

export function insertSite(db: Db, site: Omit<Site, 'id'>, at: number): Site {
  const info = prepared(db, 'INSERT INTO sites (name, country, time_zone, created_at) VALUES (?, ?, ?, ?)')
    .run(site.name, site.country, site.timeZone, at);
  return { id: Number(info.lastInsertRowid), ...site };
}

export function listSites(db: Db): Site[] {
  return prepared(db, 'SELECT id, name, country, time_zone AS timeZone FROM sites ORDER BY id')
    .all() as Site[];
}

/**
 * The clinic's own zone and country are its first site's: used where no site is known (a new patient's default
 * country, the Panel's calendar). Before the first site exists, UTC and Peru.
 */
export function clinicDefaults(db: Db): { timeZone: string; country: string } {
  const first = listSites(db)[0];
  return { timeZone: first?.timeZone ?? 'UTC', country: first?.country ?? 'PE' };
}

export function getSite(db: Db, id: number): Site | undefined {
  return prepared(db, 'SELECT id, name, country, time_zone AS timeZone FROM sites WHERE id = ?').get(id) as
    | Site
    | undefined;
}

export function insertService(db: Db, name: string, at: number): Service {
  const info = prepared(db, 'INSERT INTO services (name, created_at) VALUES (?, ?)').run(name, at);
  return { id: Number(info.lastInsertRowid), name };
}

export function listServices(db: Db): Service[] {
  return prepared(db, 'SELECT id, name FROM services ORDER BY id').all() as Service[];
}
