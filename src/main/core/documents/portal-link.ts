/**
 * The patient portal's link to one result or document, from the site's URL template, e.g.
 * https://portal.clinica.pe/r/{code}. Tokens: {code} (the signature's verification code), {resultId}, {accession}.
 * Null when there is no template or the item lacks a token the template needs (an unsigned document has no code): a
 * link that opens another patient's item, or nothing, is worse than no link.
 */
export function portalLink(
  template: string,
  item: { verificationCode: string | null; resultId: number; accessionNumber: string | null },
): string | null {
  const pattern = template.trim();
  if (!pattern || !/\{(code|resultId|accession)\}/.test(pattern)) return null;
  const values: Record<string, string | null> = {
    code: item.verificationCode,
    resultId: String(item.resultId),
    accession: item.accessionNumber,
  };
  let missing = false;
  const link = pattern.replace(/\{(code|resultId|accession)\}/g, (_, token: string) => {
    const value = values[token]?.trim();
    if (!value) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? null : link;
}

/** The site's own portal template when it has one, else the clinic's. */
export function portalTemplateFor(
  settings: { portalUrlTemplate: string; portalUrlTemplates: Record<string, string> },
  siteId: number | null,
): string {
  const own = siteId === null ? undefined : settings.portalUrlTemplates[String(siteId)];
  return own?.trim() ? own : settings.portalUrlTemplate;
}
