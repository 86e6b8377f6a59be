/**
 * The viewer link of an imaging study from the site's URL template, e.g.
 * https://pacs.clinica.pe/viewer?StudyInstanceUIDs={studyUid}. Null when there is no template or the study lacks what
 * the template needs: a link that opens the wrong study, or none, is worse than no link.
 */
export function imagingLink(
  template: string,
  study: { studyUid: string | null; accessionNumber: string | null },
): string | null {
  const pattern = template.trim();
  if (!pattern || !/\{(studyUid|accession)\}/.test(pattern)) return null;
  const values: Record<string, string | null> = { studyUid: study.studyUid, accession: study.accessionNumber };
  let missing = false;
  const link = pattern.replace(/\{(studyUid|accession)\}/g, (_, token: string) => {
    const value = values[token]?.trim();
    if (!value) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? null : link;
}

/** Whether the template needs the StudyInstanceUID (then an accession number alone calls for a PACS lookup). */
export function needsStudyUid(template: string): boolean {
  return template.includes('{studyUid}');
}
