import type { TFunction } from 'i18next';

/** "control_prenatal_v2" → "Control prenatal v2": a clinic's own template read as words. */
export function humanizeCode(code: string): string {
  const spaced = code.replace(/[_.-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * A template in words: Avisa's default templates by their name, any other one (the clinic's own, approved at Meta)
 * humanized. The name as Meta knows it goes in a details line, never in place of the words.
 */
export function templateLabel(name: string, t: TFunction): string {
  return t(`templateName.${name}`, { defaultValue: humanizeCode(name) });
}
