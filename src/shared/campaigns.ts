// Campaigns and post-visit follow-up: the types the UI and the core share. Types only.
import type { Epoch } from './domain';

export type CampaignState = 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled';
/** Why a patient of the segment gets no message. */
export type ExclusionCode = 'no_consent' | 'opted_out' | 'no_phone';

/** Who a campaign is for. Every field left out selects everyone; given fields must all hold. */
export interface CampaignSegment {
  /** The patient's site. */
  siteIds?: number[];
  /** Seen (an attended appointment) in one of these services. */
  serviceIds?: number[];
  /** Last attended appointment on or after / on or before this local date (YYYY-MM-DD). */
  lastVisitFrom?: string | null;
  lastVisitTo?: string | null;
  /** Age in whole years today, from the birth date (patients without one are left out when an age is asked). */
  ageMin?: number | null;
  ageMax?: number | null;
  /** Has at least one of these tags. */
  tags?: string[];
}

/** What a campaign (or a follow-up rule) says: a synced Cloud API template with parameters, or a text. */
export interface CampaignContent {
  templateName: string | null;
  templateLanguage?: string | null;
  /** May carry patient fields: {nombre}, {apellidos}, {nombre_completo}, {sede}. */
  templateParams: string[];
  body: string;
}

export interface SegmentPreview {
  /** Patients the segment selects. */
  matched: number;
  /** Of those, who gets a message (opted in, with a valid mobile). */
  reached: number;
  excluded: Record<ExclusionCode, number>;
  /** A few of the patients reached, to check the segment is the intended one. */
  sample: { id: number; name: string }[];
}

export interface CampaignMetrics {
  targeted: number;
  excluded: Record<ExclusionCode, number>;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  /** Withdrawn before leaving: the patient opted out meanwhile, or the campaign was cancelled. */
  cancelled: number;
}

export interface CampaignView extends CampaignContent {
  id: number;
  name: string;
  state: CampaignState;
  segment: CampaignSegment;
  scheduledAt: Epoch | null;
  maxPerMinute: number;
  maxPerHour: number;
  /** Who created it: the person's name ('usuario' on campaigns from before people). */
  createdBy: string;
  createdByPersonId: number | null;
  createdAt: Epoch;
  startedAt: Epoch | null;
  finishedAt: Epoch | null;
  cancelledAt: Epoch | null;
  metrics: CampaignMetrics;
}

export interface CampaignDraft extends CampaignContent {
  name: string;
  segment: CampaignSegment;
  maxPerMinute?: number;
  maxPerHour?: number;
}

export interface FollowUpRuleView extends CampaignContent {
  id: number;
  name: string;
  /** null: after a visit to any service. */
  serviceId: number | null;
  daysAfter: number;
  /** Local hour (0–23) in the site's time zone. */
  hourOfDay: number;
  enabled: boolean;
  /** Follow-ups of this rule waiting to go, and gone. */
  queued: number;
  sent: number;
}

export interface FollowUpRuleInput extends CampaignContent {
  id?: number;
  name: string;
  serviceId: number | null;
  daysAfter: number;
  hourOfDay: number;
  enabled?: boolean;
}
