import type { Db } from '../../store/db';
import { replaceTemplates } from '../../store/templates-repo';
import type { GraphClient, GraphError, GraphTemplate } from './graph-client';

/** How many {{n}} parameters the template's body takes (the highest n; Meta numbers them from 1). */
export function bodyParamCount(template: GraphTemplate): number {
  const body = template.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  return Math.max(0, ...[...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1])));
}

/** The first URL button of a template, e.g. { index: 0, url: 'https://portal.clinica.pe/r/{{1}}' }. */
export function urlButtonOf(template: GraphTemplate): { index: number; url: string } | null {
  const buttons = template.components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  for (const [index, value] of buttons.entries()) {
    const b = value as { type?: unknown; url?: unknown };
    if (String(b.type).toUpperCase() === 'URL' && typeof b.url === 'string') return { index, url: b.url };
  }
  return null;
}

/** Copies the WABA's templates into the store, so the UI shows their status and mismatches are caught early. */
export async function syncTemplates(db: Db, client: GraphClient, at: number): Promise<{ ok: true; count: number } | { ok: false; error: GraphError }> {
  const result = await client.listTemplates();
  if (!result.ok) return result;
  replaceTemplates(
    db,
    result.data.map((t) => ({
      name: t.name,
      language: t.language,
      status: t.status,
      category: t.category,
      bodyParams: bodyParamCount(t),
      headerFormat: t.components.find((c) => c.type.toUpperCase() === 'HEADER')?.format ?? null,
      urlButtonIndex: urlButtonOf(t)?.index ?? null,
      urlButtonUrl: urlButtonOf(t)?.url ?? null,
      components: JSON.stringify(t.components),
      syncedAt: at,
    })),
  );
  return { ok: true, count: result.data.length };
}
