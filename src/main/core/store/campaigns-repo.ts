import type { CampaignMetrics, CampaignSegment, CampaignState, ExclusionCode } from '../../../shared/campaigns';
import type { ConsentStatus, Language } from '../../../shared/domain';
import { prepared, type Db } from './db';

export interface CampaignRow {
  id: number;
  name: string;
  state: CampaignState;
  segment: CampaignSegment;
  templateName: string | null;
  templateLanguage: string | null;
  templateParams: string[];
  body: string;
  scheduledAt: number | null;
  maxPerMinute: number;
  maxPerHour: number;
  /** The person's name ('usuario' on campaigns from before people). */
  createdBy: string;
  createdByPersonId: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  cancelledAt: number | null;
}

const columns = `id, name, state, segment, template_name AS templateName, template_language AS templateLanguage,
  template_params AS templateParams, body, scheduled_at AS scheduledAt, max_per_minute AS maxPerMinute,
  max_per_hour AS maxPerHour, created_by AS createdBy, created_by_person_id AS createdByPersonId, created_at AS createdAt, started_at AS startedAt,
  finished_at AS finishedAt, cancelled_at AS cancelledAt`;

type Stored = Omit<CampaignRow, 'segment' | 'templateParams'> & { segment: string; templateParams: string };
const parse = (r: Stored): CampaignRow => ({
  ...r,
  segment: JSON.parse(r.segment) as CampaignSegment,
  templateParams: JSON.parse(r.templateParams) as string[],
});

export type NewCampaign = Pick<
  CampaignRow,
    | 'name'
  | 'segment'
  | 'templateName'
  | 'templateLanguage'
  | 'templateParams'
  | 'body'
  | 'maxPerMinute'
  | 'maxPerHour'
  | 'createdBy'
  | 'createdByPersonId'
>;

export function insertCampaign(db: Db, c: NewCampaign, at: number): number {
  const info = prepared(
    db,
    `INSERT INTO campaigns (name, segment, template_name, template_language, template_params, body, max_per_minute,
      max_per_hour, created_by, created_by_person_id, created_at, updated_at)
     VALUES (@name, @segment, @templateName, @templateLanguage, @templateParams, @body, @maxPerMinute, @maxPerHour,
      @createdBy, @createdByPersonId, @at, @at)`,
  ).run({ ...c, segment: JSON.stringify(c.segment), templateParams: JSON.stringify(c.templateParams), at });
  return Number(info.lastInsertRowid);
}

export function getCampaign(db: Db, id: number): CampaignRow | undefined {
  const row = prepared(db, `SELECT ${columns} FROM campaigns WHERE id = ?`).get(id) as Stored | undefined;
  return row && parse(row);
}

export function listCampaignRows(db: Db): CampaignRow[] {
  return (prepared(db, `SELECT ${columns} FROM campaigns ORDER BY id DESC`).all() as Stored[]).map(parse);
}

export function campaignIdsInStates(db: Db, states: readonly CampaignState[]): number[] {
  return (
    prepared(db, 'SELECT id FROM campaigns WHERE state IN (SELECT value FROM json_each(?)) ORDER BY id').all(
      JSON.stringify(states),
    ) as { id: number }[]
  ).map((r) => r.id);
}

const stampOf: Partial<Record<CampaignState, string>> = {
  sending: 'started_at',
  done: 'finished_at',
  cancelled: 'cancelled_at',
};

/** Compare-and-set on the campaign's state; returns false when it was not in `from` any more. */
export function setCampaignState(
  db: Db,
  id: number,
  from: CampaignState,
  to: CampaignState,
  at: number,
  scheduledAt?: number,
): boolean {
  const stamp = stampOf[to];
  const sets = ['state = @to', 'updated_at = @at'];
  if (stamp) sets.push(`${stamp} = @at`);
  if (scheduledAt !== undefined) sets.push('scheduled_at = @scheduledAt');
  return (
    prepared(db, `UPDATE campaigns SET ${sets.join(', ')} WHERE id = @id AND state = @from`).run({
      id,
      from,
      to,
      at,
      scheduledAt: scheduledAt ?? null,
    }).changes === 1
  );
}

export interface SegmentQuery {
  siteIds: number[] | null;
  serviceIds: number[] | null;
  /** Epoch bounds of the last attended visit: [from, to). */
  visitFrom: number | null;
  visitTo: number | null;
  /** Birth-date bounds (YYYY-MM-DD): born on or before / strictly after. */
  bornOnOrBefore: string | null;
  bornAfter: string | null;
  tags: string[] | null;
}

export interface SegmentPatient {
  id: number;
  firstNames: string;
  lastNames: string;
  phoneE164: string | null;
  consent: ConsentStatus;
  language: Language;
  siteId: number | null;
  siteName: string | null;
}

const list = (v: readonly (string | number)[] | null) => (v && v.length ? JSON.stringify(v) : null);

/** The patients a segment selects, whatever their consent or phone (the caller tells them apart). */
export function segmentPatients(db: Db, q: SegmentQuery): SegmentPatient[] {
  // A visit is an attended appointment; with services chosen, only visits to those services count.
  const visit = `a.patient_id = p.id AND a.status = 'attended'
    AND (@services IS NULL OR a.service_id IN (SELECT value FROM json_each(@services)))`;
  return prepared(
    db,
    `SELECT p.id, p.first_names AS firstNames, p.last_names AS lastNames, p.phone_e164 AS phoneE164,
       p.consent_status AS consent, p.language, p.site_id AS siteId, s.name AS siteName
     FROM patients p LEFT JOIN sites s ON s.id = p.site_id
     WHERE (@sites IS NULL OR p.site_id IN (SELECT value FROM json_each(@sites)))
       AND (@tags IS NULL OR EXISTS (SELECT 1 FROM patient_tags t WHERE t.patient_id = p.id
            AND t.tag_key IN (SELECT value FROM json_each(@tags))))
       AND (@bornOnOrBefore IS NULL OR p.birth_date <= @bornOnOrBefore)
       AND (@bornAfter IS NULL OR p.birth_date > @bornAfter)
       AND (@services IS NULL OR EXISTS (SELECT 1 FROM appointments a WHERE ${visit}))
       AND ((@visitFrom IS NULL AND @visitTo IS NULL) OR (
         SELECT MAX(a.starts_at) FROM appointments a WHERE ${visit}) >= COALESCE(@visitFrom, -9007199254740991)
         AND (SELECT MAX(a.starts_at) FROM appointments a WHERE ${visit}) < COALESCE(@visitTo, 9007199254740991))
     ORDER BY p.id`,
  ).all({
    sites: list(q.siteIds),
    services: list(q.serviceIds),
    tags: list(q.tags),
    bornOnOrBefore: q.bornOnOrBefore,
    bornAfter: q.bornAfter,
    visitFrom: q.visitFrom,
    visitTo: q.visitTo,
  }) as SegmentPatient[];
}

export function insertRecipient(
  db: Db,
  r: { campaignId: number; patientId: number; messageId: number | null; excludedCode: ExclusionCode | null },
): void {
  prepared(
    db,
    `INSERT INTO campaign_recipients (campaign_id, patient_id, message_id, excluded_code) VALUES (?, ?, ?, ?)
     ON CONFLICT(campaign_id, patient_id) DO NOTHING`,
  ).run(r.campaignId, r.patientId, r.messageId, r.excludedCode);
}

export function campaignMetrics(db: Db, campaignId: number): CampaignMetrics {
  const r = prepared(
    db,
    `SELECT COUNT(r.message_id) AS targeted,
       COALESCE(SUM(r.excluded_code = 'no_consent'), 0) AS noConsent,
       COALESCE(SUM(r.excluded_code = 'opted_out'), 0) AS optedOut,
       COALESCE(SUM(r.excluded_code = 'no_phone'), 0) AS noPhone,
       COALESCE(SUM(m.state IN ('queued', 'sending')), 0) AS queued,
       COALESCE(SUM(m.state IN ('sent', 'delivered', 'read')), 0) AS sent,
       COALESCE(SUM(m.state IN ('delivered', 'read')), 0) AS delivered,
       COALESCE(SUM(m.state = 'read'), 0) AS read,
       COALESCE(SUM(m.state IN ('failed', 'expired', 'unknown')), 0) AS failed,
       COALESCE(SUM(m.state = 'cancelled'), 0) AS cancelled,
       COALESCE(SUM(EXISTS (SELECT 1 FROM replies x WHERE x.message_id = m.id)), 0) AS replied
     FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
     WHERE r.campaign_id = ?`,
  ).get(campaignId) as Record<string, number>;
  return {
    targeted: r.targeted ?? 0,
    excluded: { no_consent: r.noConsent ?? 0, opted_out: r.optedOut ?? 0, no_phone: r.noPhone ?? 0 },
    queued: r.queued ?? 0,
    sent: r.sent ?? 0,
    delivered: r.delivered ?? 0,
    read: r.read ?? 0,
    replied: r.replied ?? 0,
    failed: r.failed ?? 0,
    cancelled: r.cancelled ?? 0,
  };
}

export function queuedMessageIdsOfCampaign(db: Db, campaignId: number): number[] {
  return (
    prepared(
      db,
      `SELECT m.id FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = ? AND m.state = 'queued' ORDER BY m.id`,
    ).all(campaignId) as { id: number }[]
  ).map((r) => r.id);
}

/** Messages of a campaign not yet settled (queued, or leaving now). */
export function pendingCount(db: Db, campaignId: number): number {
  return (
    prepared(
      db,
      `SELECT COUNT(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = ? AND m.state IN ('queued', 'sending')`,
    ).get(campaignId) as { n: number }
  ).n;
}

/** What the moment of sending must know about a message: the patient's consent now, and its campaign's throttle. */
export interface SendFacts {
  kind: string;
  consent: ConsentStatus | null;
  campaignId: number | null;
  campaignState: CampaignState | null;
  maxPerMinute: number | null;
  maxPerHour: number | null;
}

export function sendFacts(db: Db, messageId: number): SendFacts | undefined {
  return prepared(
    db,
    `SELECT m.kind, p.consent_status AS consent, c.id AS campaignId, c.state AS campaignState,
       c.max_per_minute AS maxPerMinute, c.max_per_hour AS maxPerHour
     FROM messages m
     LEFT JOIN patients p ON p.id = m.patient_id
     LEFT JOIN campaign_recipients r ON r.message_id = m.id
     LEFT JOIN campaigns c ON c.id = r.campaign_id
     WHERE m.id = ?`,
  ).get(messageId) as SendFacts | undefined;
}

/** How many of a campaign's messages left since a moment, and when the earliest of them left. */
export function campaignSendsSince(db: Db, campaignId: number, since: number): { count: number; first: number | null } {
  return prepared(
    db,
    `SELECT COUNT(*) AS count, MIN(m.sending_at) AS first FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
     WHERE r.campaign_id = ? AND m.sending_at >= ?`,
  ).get(campaignId, since) as { count: number; first: number | null };
}

/** Moves every queued message of a campaign to no earlier than a moment (its throttle is full until then). */
export function deferCampaign(db: Db, campaignId: number, notBefore: number): void {
  prepared(
    db,
    `UPDATE messages SET not_before = @notBefore
     WHERE state = 'queued' AND not_before < @notBefore
       AND id IN (SELECT message_id FROM campaign_recipients WHERE campaign_id = @campaignId AND message_id IS NOT NULL)`,
  ).run({ campaignId, notBefore });
}
