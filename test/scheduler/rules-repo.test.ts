import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { siteZone } from '../../src/main/core/scheduler/rules';
import { insertService, insertSite } from '../../src/main/core/store/clinic-repo';
import { openDatabase } from '../../src/main/core/store/db';
import {
  clearSiteReminderSettings,
  deleteReminderRule,
  insertReminderRule,
  listReminderRules,
  listReminderSettings,
  reminderSettingsFor,
  setReminderSettings,
  updateReminderRule,
} from '../../src/main/core/store/reminder-rules-repo';
import { tempDir } from '../helpers/temp';

describe('reminder rules in the store', () => {
  it('a new database has a 24 h and a 2 h rule for every site and service, and quiet hours 21:00–07:00', () => {
    const db = openDatabase(tempDir());
    expect(listReminderRules(db).map((r) => [r.ruleKey, r.siteId, r.serviceId, r.leadMinutes, r.enabled])).toEqual([
      ['24h', null, null, 1440, true],
      ['2h', null, null, 120, true],
    ]);
    expect(listReminderSettings(db)).toEqual([
      expect.objectContaining({
        siteId: null,
        quietHours: { startMinute: 1260, endMinute: 420 },
        minLeadMinutes: 30,
        catchUpMinBeforeMinutes: 60,
      }),
    ]);
  });

  it('adds, changes and removes rules; one key per scope', () => {
    const db = openDatabase(tempDir());
    const site = insertSite(db, { name: 'Norte', country: 'PE', timeZone: 'America/Lima' }, 0);
    const service = insertService(db, 'Ecografía', 0);
    const rule = insertReminderRule(
      db,
      { ruleKey: '48h', siteId: site.id, serviceId: service.id, leadMinutes: 2880, templateName: 'preparacion_eco' },
      5,
    );
    expect(rule).toMatchObject({ ruleKey: '48h', siteId: site.id, enabled: true, templateLanguage: 'es', updatedAt: 5 });
    expect(() =>
      insertReminderRule(db, { ruleKey: '48h', siteId: site.id, serviceId: service.id, leadMinutes: 2000, templateName: 'x' }, 6),
    ).toThrow(/UNIQUE/);
    // The same key for any site is another scope.
    insertReminderRule(db, { ruleKey: '48h', siteId: null, serviceId: null, leadMinutes: 2880, templateName: 'x' }, 6);
    expect(updateReminderRule(db, rule.id, { enabled: false, templateName: 'otra' }, 7)).toBe(true);
    expect(listReminderRules(db).find((r) => r.id === rule.id)).toMatchObject({ enabled: false, templateName: 'otra', updatedAt: 7 });
    expect(deleteReminderRule(db, rule.id)).toBe(true);
    expect(updateReminderRule(db, rule.id, { enabled: true }, 8)).toBe(false);
    expect(() =>
      insertReminderRule(db, { ruleKey: 'Bad Key', siteId: null, serviceId: null, leadMinutes: 60, templateName: 'x' }, 9),
    ).toThrow(/CHECK/);
  });

  it('a site may have its own quiet hours; the others follow the defaults', () => {
    const db = openDatabase(tempDir());
    const a = insertSite(db, { name: 'A', country: 'CL', timeZone: 'America/Santiago' }, 0);
    const b = insertSite(db, { name: 'B', country: 'CL', timeZone: 'America/Santiago' }, 0);
    setReminderSettings(db, a.id, { quietHours: { startMinute: 20 * 60, endMinute: 8 * 60 } }, 10);
    setReminderSettings(db, a.id, { minLeadMinutes: 45 }, 11);
    setReminderSettings(db, null, { catchUpMinBeforeMinutes: 90 }, 12);
    expect(reminderSettingsFor(db, a.id)).toEqual({
      siteId: a.id,
      quietHours: { startMinute: 1200, endMinute: 480 },
      minLeadMinutes: 45,
      catchUpMinBeforeMinutes: 60,
      updatedAt: 11,
    });
    expect(reminderSettingsFor(db, b.id)).toMatchObject({ siteId: b.id, catchUpMinBeforeMinutes: 90, minLeadMinutes: 30 });
    setReminderSettings(db, b.id, { quietHours: null }, 13);
    expect(reminderSettingsFor(db, b.id).quietHours).toBeNull();
    expect(clearSiteReminderSettings(db, a.id)).toBe(true);
    expect(reminderSettingsFor(db, a.id).quietHours).toEqual({ startMinute: 1260, endMinute: 420 });
  });

  it('records when an appointment got a new time, whoever wrote it', () => {
    const db = openDatabase(tempDir());
    db.exec(`INSERT INTO sites (id, name, country, time_zone, created_at) VALUES (1, 'S', 'PE', 'America/Lima', 0);
      INSERT INTO services (id, name, created_at) VALUES (1, 'X', 0);
      INSERT INTO patients (id, first_names, last_names, document_type, document_number, created_at, updated_at)
        VALUES (1, 'A', 'B', 'DNI', '1', 0, 0);
      INSERT INTO appointments (id, site_id, service_id, patient_id, starts_at, source, source_key, created_at, updated_at)
        VALUES (1, 1, 1, 1, 1000, 't', 'k', 5, 5);`);
    const rescheduledAt = () => db.prepare('SELECT rescheduled_at FROM appointments WHERE id = 1').pluck().get();
    db.prepare(`UPDATE appointments SET starts_at = 1000, status = 'confirmed', updated_at = 7 WHERE id = 1`).run();
    expect(rescheduledAt()).toBeNull();
    db.prepare('UPDATE appointments SET starts_at = 2000, updated_at = 9 WHERE id = 1').run();
    expect(rescheduledAt()).toBe(9);
  });
});

describe('the cached time zone', () => {
  it('gives the same offsets as the IANA database around DST changes', () => {
    for (const [name, from] of [
      ['America/Santiago', '2024-04-05T00:00Z'],
      ['America/Santiago', '2024-09-06T00:00Z'],
      ['America/Mexico_City', '2022-04-02T00:00Z'],
      ['America/Mexico_City', '2022-10-29T00:00Z'],
    ] as const) {
      const iana = IANAZone.create(name);
      const zone = siteZone(name);
      const start = DateTime.fromISO(from).toMillis();
      for (let t = start; t < start + 3 * 86_400_000; t += 7 * 60_000 + 13_000) {
        expect(zone.offset(t)).toBe(iana.offset(t));
      }
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => siteZone('America/Atlantis')).toThrow(/Unknown time zone/);
  });
});
