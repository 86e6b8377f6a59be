import type { CampaignContent } from '../../../shared/campaigns';
import { personalise, type PatientFields } from './personalise';

// Campaigns and follow-up rules say what they say the same way: a synced template with parameters, or a text.

/** Content as kept with its campaign or rule: a template's language and parameters only when there is a template. */
export type StoredContent = Required<CampaignContent>;

export function storedContent(c: CampaignContent, defaultTemplateLanguage: string): StoredContent {
  return {
    templateName: c.templateName || null,
    templateLanguage: c.templateName ? (c.templateLanguage ?? defaultTemplateLanguage) : null,
    templateParams: c.templateName ? c.templateParams : [],
    body: c.body,
  };
}

/**
 * One patient's message: their fields filled in. A template message's body is its filled parameters (or the
 * template's name), so the message history shows what the patient read.
 */
export function contentFor(c: StoredContent, patient: PatientFields): StoredContent {
  const params = c.templateParams.map((param) => personalise(param, patient));
  return {
    templateName: c.templateName,
    templateLanguage: c.templateLanguage,
    templateParams: params,
    body: c.templateName ? params.join(' · ') || c.templateName : personalise(c.body, patient),
  };
}
