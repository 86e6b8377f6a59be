import { DateTime } from 'luxon';
import type { CampaignSegment, ExclusionCode, SegmentPreview } from '../../../shared/campaigns';
import type { Db } from '../store/db';
import { tagKey } from '../store/tags-repo';
import { segmentPatients, type SegmentPatient, type SegmentQuery } from '../store/campaigns-repo';

/** A segment in the clinic's own terms (local dates, ages) → the bounds the store selects by. */
export function segmentQuery(segment: CampaignSegment, now: number, timeZone: string): SegmentQuery {
  const today = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  const localDay = (iso: string | null | undefined) => (iso ? DateTime.fromISO(iso, { zone: timeZone }) : null);
  const from = localDay(segment.lastVisitFrom);
  const to = localDay(segment.lastVisitTo);
  const nonEmpty = <T>(v: T[] | undefined) => (v && v.length ? v : null);
  return {
    siteIds: nonEmpty(segment.siteIds),
    serviceIds: nonEmpty(segment.serviceIds),
    visitFrom: from?.isValid ? from.startOf('day').toMillis() : null,
    // The "to" day is included: the bound is the next local midnight.
    visitTo: to?.isValid ? to.startOf('day').plus({ days: 1 }).toMillis() : null,
    // Aged at least N today: born on or before today minus N years. At most M: born after today minus M+1 years.
    bornOnOrBefore: segment.ageMin != null ? today.minus({ years: segment.ageMin }).toISODate() : null,
    bornAfter: segment.ageMax != null ? today.minus({ years: segment.ageMax + 1 }).toISODate() : null,
    tags: nonEmpty(segment.tags?.map(tagKey).filter(Boolean)),
  };
}

/** Why this patient gets no business-initiated message, or null when one may go. */
export function exclusionOf(p: Pick<SegmentPatient, 'consent' | 'phoneE164'>): ExclusionCode | null {
  if (p.consent === 'opted_out') return 'opted_out';
  if (p.consent !== 'opted_in') return 'no_consent';
  return p.phoneE164 ? null : 'no_phone';
}

export interface SelectedSegment {
  reached: SegmentPatient[];
  excluded: { patient: SegmentPatient; code: ExclusionCode }[];
}

export function selectSegment(db: Db, segment: CampaignSegment, now: number, timeZone: string): SelectedSegment {
  const selected: SelectedSegment = { reached: [], excluded: [] };
  for (const patient of segmentPatients(db, segmentQuery(segment, now, timeZone))) {
    const code = exclusionOf(patient);
    if (code) selected.excluded.push({ patient, code });
    else selected.reached.push(patient);
  }
  return selected;
}

export function previewSegment(db: Db, segment: CampaignSegment, now: number, timeZone: string): SegmentPreview {
  const { reached, excluded } = selectSegment(db, segment, now, timeZone);
  const count = (code: ExclusionCode) => excluded.filter((e) => e.code === code).length;
  return {
    matched: reached.length + excluded.length,
    reached: reached.length,
    excluded: { no_consent: count('no_consent'), opted_out: count('opted_out'), no_phone: count('no_phone') },
    sample: reached.slice(0, 5).map((p) => ({ id: p.id, name: `${p.firstNames} ${p.lastNames}` })),
  };
}
