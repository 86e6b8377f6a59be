import type { TemplateInfo } from '../../../shared/api';
import { prepared, type Db } from './db';

export type TemplateRow = TemplateInfo;

/** Replaces the synced copy of the WABA's templates with what Meta answered now. */
export function replaceTemplates(db: Db, rows: (TemplateRow & { components: string })[]): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM templates').run();
    const insert = prepared(
      db,
      `INSERT INTO templates (name, language, status, category, body_params, header_format, url_button_index,
        url_button_url, components, synced_at)
       VALUES (@name, @language, @status, @category, @bodyParams, @headerFormat, @urlButtonIndex, @urlButtonUrl,
        @components, @syncedAt)`,
    );
    for (const row of rows) insert.run(row);
  })();
}

export function listTemplates(db: Db): TemplateRow[] {
  return prepared(
    db,
    `SELECT name, language, status, category, body_params AS bodyParams, header_format AS headerFormat,
      url_button_index AS urlButtonIndex, url_button_url AS urlButtonUrl, synced_at AS syncedAt FROM templates ORDER BY name, language`,
  ).all() as TemplateRow[];
}

export function findTemplate(db: Db, name: string, language: string): TemplateRow | undefined {
  return prepared(
    db,
    `SELECT name, language, status, category, body_params AS bodyParams, header_format AS headerFormat,
      url_button_index AS urlButtonIndex, url_button_url AS urlButtonUrl, synced_at AS syncedAt FROM templates WHERE name = ? AND language = ?`,
  ).get(name, language) as TemplateRow | undefined;
}

/** The BODY text of a synced template ("Hola {{1}}…"), so a copy outside WhatsApp can say the same words. */
export function templateBodyText(db: Db, name: string, language: string | null): string | null {
  const row = prepared(
    db,
    `SELECT components FROM templates WHERE name = @name AND (@language IS NULL OR language = @language)
     ORDER BY language = @language DESC LIMIT 1`,
  ).get({ name, language }) as { components: string } | undefined;
  if (!row) return null;
  try {
    const components = JSON.parse(row.components) as { type?: string; text?: string }[];
    return components.find((c) => c.type === 'BODY')?.text ?? null;
  } catch {
    return null;
  }
}
