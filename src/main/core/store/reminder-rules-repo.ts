import type { QuietHours, ReminderRule } from '../scheduler/rules';
import { prepared, type Db } from './db';

export interface ReminderRuleInput {
  ruleKey: string;
  siteId: number | null;
  serviceId: number | null;
  leadMinutes: number;
  templateName: string;
  templateLanguage?: string;
  enabled?: boolean;
}

export type ReminderRulePatch = Partial<
  Pick<ReminderRule, 'leadMinutes' | 'templateName' | 'templateLanguage' | 'enabled'>
>;

export interface ReminderSettings {
  /** null: the defaults for every site without settings of its own. */
  siteId: number | null;
  quietHours: QuietHours | null;
  minLeadMinutes: number;
  catchUpMinBeforeMinutes: number;
  updatedAt: number;
}

export type ReminderSettingsPatch = Partial<Omit<ReminderSettings, 'siteId' | 'updatedAt'>>;

interface RuleRow {
  id: number;
  ruleKey: string;
  siteId: number | null;
  serviceId: number | null;
  leadMinutes: number;
  templateName: string;
  templateLanguage: string;
  enabled: number;
  updatedAt: number;
}

const ruleColumns = `id, rule_key AS ruleKey, site_id AS siteId, service_id AS serviceId, lead_minutes AS leadMinutes,
  template_name AS templateName, template_language AS templateLanguage, enabled, updated_at AS updatedAt`;

export type StoredReminderRule = ReminderRule & { updatedAt: number };

const ruleOf = (r: RuleRow): StoredReminderRule => ({ ...r, enabled: r.enabled === 1 });

export function listReminderRules(db: Db): StoredReminderRule[] {
  const sql = `SELECT ${ruleColumns} FROM reminder_rules ORDER BY lead_minutes DESC, site_id, service_id, id`;
  return (prepared(db, sql).all() as RuleRow[]).map(ruleOf);
}

export function getReminderRule(db: Db, id: number): StoredReminderRule | undefined {
  const row = prepared(db, `SELECT ${ruleColumns} FROM reminder_rules WHERE id = ?`).get(id) as RuleRow | undefined;
  return row && ruleOf(row);
}

/** Throws (UNIQUE constraint) when the same key already exists for the same site and service. */
export function insertReminderRule(db: Db, rule: ReminderRuleInput, at: number): StoredReminderRule {
  const info = prepared(
    db,
    `INSERT INTO reminder_rules (rule_key, site_id, service_id, lead_minutes, template_name, template_language, enabled,
      created_at, updated_at)
     VALUES (@ruleKey, @siteId, @serviceId, @leadMinutes, @templateName, @templateLanguage, @enabled, @at, @at)`,
  ).run({
    ...rule,
    templateLanguage: rule.templateLanguage ?? 'es',
    enabled: rule.enabled === false ? 0 : 1,
    at,
  });
  return getReminderRule(db, Number(info.lastInsertRowid)) as StoredReminderRule;
}

/** The key and scope never change (the key is part of sent messages' idempotency keys); returns false when absent. */
export function updateReminderRule(db: Db, id: number, patch: ReminderRulePatch, at: number): boolean {
  const current = getReminderRule(db, id);
  if (!current) return false;
  const next = { ...current, ...patch };
  prepared(
    db,
    `UPDATE reminder_rules SET lead_minutes = @leadMinutes, template_name = @templateName,
      template_language = @templateLanguage, enabled = @enabled, updated_at = @at WHERE id = @id`,
  ).run({
    id,
    leadMinutes: next.leadMinutes,
    templateName: next.templateName,
    templateLanguage: next.templateLanguage,
    enabled: next.enabled ? 1 : 0,
    at,
  });
  return true;
}

export function deleteReminderRule(db: Db, id: number): boolean {
  return prepared(db, 'DELETE FROM reminder_rules WHERE id = ?').run(id).changes === 1;
}

interface SettingsRow {
  siteId: number | null;
  quietStart: number | null;
  quietEnd: number | null;
  minLeadMinutes: number;
  catchUpMinBeforeMinutes: number;
  updatedAt: number;
}

const settingsOf = (r: SettingsRow): ReminderSettings => ({
  siteId: r.siteId,
  quietHours: r.quietStart === null || r.quietEnd === null ? null : { startMinute: r.quietStart, endMinute: r.quietEnd },
  minLeadMinutes: r.minLeadMinutes,
  catchUpMinBeforeMinutes: r.catchUpMinBeforeMinutes,
  updatedAt: r.updatedAt,
});

const settingsColumns = `site_id AS siteId, quiet_start_minute AS quietStart, quiet_end_minute AS quietEnd,
  min_lead_minutes AS minLeadMinutes, catch_up_min_before_minutes AS catchUpMinBeforeMinutes, updated_at AS updatedAt`;

// Used only if the defaults row was deleted by hand: the documented defaults.
const builtIn: ReminderSettings = {
  siteId: null,
  quietHours: { startMinute: 21 * 60, endMinute: 7 * 60 },
  minLeadMinutes: 30,
  catchUpMinBeforeMinutes: 60,
  updatedAt: 0,
};

/** Every settings row: the defaults (siteId null) first, then each site with its own. */
export function listReminderSettings(db: Db): ReminderSettings[] {
  const rows = (
    prepared(db, `SELECT ${settingsColumns} FROM reminder_settings ORDER BY IFNULL(site_id, 0)`).all() as SettingsRow[]
  ).map(settingsOf);
  return rows[0]?.siteId === null ? rows : [builtIn, ...rows];
}

/** A site's settings: its own row, or the defaults. */
export function reminderSettingsFor(db: Db, siteId: number): ReminderSettings {
  const all = listReminderSettings(db);
  return all.find((s) => s.siteId === siteId) ?? { ...(all[0] ?? builtIn), siteId };
}

/**
 * Changes the defaults (siteId null) or one site's settings; a site without its own row starts from the defaults.
 * A site row is complete: later changes to the defaults no longer reach that site.
 */
export function setReminderSettings(
  db: Db,
  siteId: number | null,
  patch: ReminderSettingsPatch,
  at: number,
): ReminderSettings {
  const current = siteId === null ? (listReminderSettings(db)[0] ?? builtIn) : reminderSettingsFor(db, siteId);
  const next: ReminderSettings = { ...current, ...patch, siteId, updatedAt: at };
  prepared(
    db,
    `INSERT INTO reminder_settings (site_id, quiet_start_minute, quiet_end_minute, min_lead_minutes,
      catch_up_min_before_minutes, updated_at)
     VALUES (@siteId, @quietStart, @quietEnd, @minLead, @catchUp, @at)
     ON CONFLICT(IFNULL(site_id, 0)) DO UPDATE SET quiet_start_minute = excluded.quiet_start_minute,
       quiet_end_minute = excluded.quiet_end_minute, min_lead_minutes = excluded.min_lead_minutes,
       catch_up_min_before_minutes = excluded.catch_up_min_before_minutes, updated_at = excluded.updated_at`,
  ).run({
    siteId,
    quietStart: next.quietHours?.startMinute ?? null,
    quietEnd: next.quietHours?.endMinute ?? null,
    minLead: next.minLeadMinutes,
    catchUp: next.catchUpMinBeforeMinutes,
    at,
  });
  return next;
}

/** Removes a site's own settings: it follows the defaults again. */
export function clearSiteReminderSettings(db: Db, siteId: number): boolean {
  return prepared(db, 'DELETE FROM reminder_settings WHERE site_id = ?').run(siteId).changes === 1;
}
