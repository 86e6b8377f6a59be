import type { TemplateInfo } from '../../../../shared/api';

export interface TemplateDraft {
  name: string;
  language: string;
  /** Values as typed; a known template decides how many of them are used. */
  params: string[];
}

/** The synced template the draft names (in its language when one is given). */
export function matchTemplate(draft: TemplateDraft, templates: readonly TemplateInfo[]): TemplateInfo | undefined {
  const name = draft.name.trim();
  const language = draft.language.trim();
  return templates.find((x) => x.name === name && (!language || x.language === language));
}

/**
 * What will be sent: a known template takes exactly its number of body parameters and, when none was typed, its own
 * language. Derived on every render, so it holds even when the list of templates arrives after the name was typed.
 */
export function effectiveTemplate(
  draft: TemplateDraft,
  templates: readonly TemplateInfo[],
): { known: TemplateInfo | undefined; name: string; language: string; params: string[] } {
  const known = matchTemplate(draft, templates);
  return {
    known,
    name: draft.name.trim(),
    language: draft.language.trim() || known?.language || '',
    params: known ? Array.from({ length: known.bodyParams }, (_, i) => draft.params[i] ?? '') : draft.params,
  };
}
