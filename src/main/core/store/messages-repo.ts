import type { ChannelId, Message, MessageKind, MessageState } from '../../../shared/domain';
import type { OutgoingMessage } from '../channels/channel';
import { prepared, type Db } from './db';
import { patientIdsMatching } from './patients-repo';
import { searchTerms } from './search-text';

export interface MessageRecord {
  kind: MessageKind;
  idempotencyKey: string;
  patientId: number | null;
  siteId: number | null;
  serviceId: number | null;
  appointmentId: number | null;
  resultId: number | null;
  resendOf: number | null;
  channel: ChannelId;
  toPhone: string;
  /** The patient's address, on an e-mail copy. */
  toEmail?: string | null;
  templateName: string | null;
  templateLanguage?: string | null;
  templateParams: string[];
  body: string;
  documentPath?: string | null;
  documentFilename?: string | null;
  buttons?: { id: string; title: string }[];
  /** The portal or imaging link of a result or document: a template's URL button opens it. */
  linkUrl?: string | null;
  /** Go straight as a template (the 24-hour window is known to be closed). */
  asTemplate?: boolean;
  /** The channel was chosen on purpose (a fallback copy): routing does not override it. */
  channelFixed?: boolean;
  priority: number;
  notBefore: number;
}

const selectMessage = `SELECT m.id, m.kind, m.idempotency_key AS idempotencyKey, m.patient_id AS patientId,
  CASE WHEN p.id IS NULL THEN NULL ELSE p.first_names || ' ' || p.last_names END AS patientName,
  m.to_phone AS toPhone, m.to_email AS toEmail, m.channel, m.template_name AS templateName, m.body, m.priority, m.not_before AS notBefore,
  m.state, m.provider_id AS providerId, m.attempts, m.last_error_code AS lastErrorCode,
  m.last_error_reason AS lastErrorReason, m.resend_of AS resendOf, m.created_at AS createdAt,
  m.updated_at AS updatedAt, m.sent_at AS sentAt, m.delivered_at AS deliveredAt, m.read_at AS readAt,
  m.failed_at AS failedAt, (SELECT COUNT(*) FROM replies r WHERE r.message_id = m.id) AS replyCount
  FROM messages m LEFT JOIN patients p ON p.id = m.patient_id`;

const insertMessageSql = `INSERT INTO messages (kind, idempotency_key, patient_id, site_id, service_id, appointment_id,
  result_id, resend_of, channel, to_phone, to_email, template_name, template_language, template_params, body,
  document_path, document_filename, buttons, link_url, as_template, priority, not_before, state, queued_at, created_at,
  updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
  ON CONFLICT(idempotency_key) DO NOTHING`;

/**
 * Writes the message unless its idempotency key exists already. Returns the one row for that key and whether this
 * call created it: the database, not memory, decides what is a duplicate.
 */
export function insertMessage(db: Db, m: MessageRecord, at: number): { id: number; created: boolean } {
  // Positional parameters: a bulk plan inserts thousands of rows, and binding by name looks each of the 26 values up
  // on an object built for the purpose.
  const info = prepared(db, insertMessageSql).run(
    m.kind,
    m.idempotencyKey,
    m.patientId,
    m.siteId,
    m.serviceId,
    m.appointmentId,
    m.resultId,
    m.resendOf,
    m.channel,
    m.toPhone,
    m.toEmail ?? null,
    m.templateName,
    m.templateLanguage ?? null,
    JSON.stringify(m.templateParams),
    m.body,
    m.documentPath ?? null,
    m.documentFilename ?? null,
    JSON.stringify(m.buttons ?? []),
    m.linkUrl ?? null,
    m.asTemplate ? 1 : 0,
    m.priority,
    m.notBefore,
    at,
    at,
    at,
  );
  // A new row's id is known; only a key already taken needs looking up (a bulk plan inserts thousands).
  if (info.changes === 1) return { id: Number(info.lastInsertRowid), created: true };
  const row = prepared(db, 'SELECT id FROM messages WHERE idempotency_key = ?').get(m.idempotencyKey) as {
    id: number;
  };
  return { id: row.id, created: false };
}

export function getMessage(db: Db, id: number): Message | undefined {
  return prepared(db, `${selectMessage} WHERE m.id = ?`).get(id) as Message | undefined;
}

export function messageState(db: Db, id: number): MessageState | undefined {
  return (prepared(db, 'SELECT state FROM messages WHERE id = ?').get(id) as { state: MessageState } | undefined)?.state;
}

export function getMessageByProviderId(db: Db, providerId: string): Message | undefined {
  return prepared(db, `${selectMessage} WHERE m.provider_id = ?`).get(providerId) as Message | undefined;
}

export function getMessageByKey(db: Db, idempotencyKey: string): Message | undefined {
  return prepared(db, `${selectMessage} WHERE m.idempotency_key = ?`).get(idempotencyKey) as Message | undefined;
}

/** Messages per state, for one channel and/or kind (an integrator's dashboard). */
export function countByStateWhere(db: Db, f: { channel?: string; kind?: string }): Partial<Record<MessageState, number>> {
  const rows = prepared(
    db,
    `SELECT state, COUNT(*) AS n FROM messages
     WHERE (@channel IS NULL OR channel = @channel) AND (@kind IS NULL OR kind = @kind) GROUP BY state`,
  ).all({ channel: f.channel ?? null, kind: f.kind ?? null }) as { state: MessageState; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

type MessageQuery = { state?: MessageState; search?: string; openFailures?: boolean; limit: number; offset: number };

// A search matching more patients than this (a common first name) reads the messages newest first and stops at the
// page, instead of collecting and sorting every message of every one of them.
const BROAD_SEARCH_PATIENTS = 2000;

/** The WHERE clause and parameters of a Mensajes query. */
function messageFilter(db: Db, q: MessageQuery): { where: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = { state: q.state ?? null, limit: q.limit, offset: q.offset };
  if (q.state) conditions.push('m.state = @state');
  if (q.openFailures) conditions.push(openFailure);
  const terms = q.search ? searchTerms(q.search) : null;
  if (terms) {
    // The patients first (their stored folded name, document and phones), and the numbers messages went to that hold
    // the digits; then the messages, by patient id and by number, each through its index on messages.
    const patients = patientIdsMatching(db, terms);
    params.patients = JSON.stringify(patients);
    params.phones = JSON.stringify(terms.digits ? messagePhonesMatching(db, terms.digits) : []);
    const patientId = patients.length > BROAD_SEARCH_PATIENTS ? '+m.patient_id' : 'm.patient_id'; // "+": no index
    conditions.push(`(${patientId} IN (SELECT value FROM json_each(@patients))
      OR m.to_phone IN (SELECT value FROM json_each(@phones)))`);
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** The numbers messages went to whose digits match a LIKE pattern ("%987654321%"). */
function messagePhonesMatching(db: Db, digits: string): string[] {
  return (prepared(db, 'SELECT to_phone FROM message_phones WHERE digits LIKE ?').raw(true).all(digits) as [string][]).map(
    (r) => r[0],
  );
}

const pageOf = (where: string) => `${selectMessage} ${where} ORDER BY m.id DESC LIMIT @limit OFFSET @offset`;

export function listMessages(db: Db, q: MessageQuery): { rows: Message[]; total: number } {
  const { where, params } = messageFilter(db, q);
  const rows = prepared(db, pageOf(where)).all(params) as Message[];
  const { n } = prepared(db, `SELECT COUNT(*) AS n FROM messages m ${where}`).get(params) as { n: number };
  return { rows, total: n };
}

/** How SQLite runs a Mensajes search (EXPLAIN QUERY PLAN), for the benchmarks' notes. */
export function messageSearchPlan(db: Db, search: string): string[] {
  const { where, params } = messageFilter(db, { search, limit: 50, offset: 0 });
  return (db.prepare(`EXPLAIN QUERY PLAN ${pageOf(where)}`).all(params) as { detail: string }[]).map((r) => r.detail);
}

// The channels a query looks at, as a JSON array (one prepared statement serves any set); none given: all channels.
const inChannels = `(@channels IS NULL OR channel IN (SELECT value FROM json_each(@channels)))`;
const channelsParam = (channels?: readonly string[]) => (channels ? JSON.stringify(channels) : null);

/** Queued messages whose moment has come, most urgent first. */
export function dueMessageIds(db: Db, now: number, limit: number, channels?: readonly string[]): number[] {
  return (
    prepared(
      db,
      `SELECT id FROM messages WHERE state = 'queued' AND not_before <= @now AND ${inChannels}
       ORDER BY priority, not_before, id LIMIT @limit`,
    ).all({ now, limit, channels: channelsParam(channels) }) as { id: number }[]
  ).map((r) => r.id);
}

/** Whether a queued message more urgent than `priority` is due now on these channels. */
export function moreUrgentDue(db: Db, now: number, priority: number, channels?: readonly string[]): boolean {
  return (
    prepared(
      db,
      `SELECT 1 FROM messages WHERE state = 'queued' AND not_before <= @now AND priority < @priority AND ${inChannels}
       LIMIT 1`,
    ).get({ now, priority, channels: channelsParam(channels) }) !== undefined
  );
}

export function nextDueAt(db: Db, channels?: readonly string[]): number | null {
  const row = prepared(db, `SELECT MIN(not_before) AS t FROM messages WHERE state = 'queued' AND ${inChannels}`).get({
    channels: channelsParam(channels),
  }) as { t: number | null };
  return row.t;
}

/** A failure nobody has dealt with: no newer message resends it (a fixed-and-resent failure no longer counts). */
const openFailure = `m.state = 'failed' AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = m.id)`;

export function countOpenFailures(db: Db): number {
  return (prepared(db, `SELECT COUNT(*) AS n FROM messages m WHERE ${openFailure}`).get() as { n: number }).n;
}

export function countByState(db: Db): Partial<Record<MessageState, number>> {
  const rows = prepared(db, 'SELECT state, COUNT(*) AS n FROM messages GROUP BY state').all() as {
    state: MessageState;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

const stampColumn: Record<MessageState, string> = {
  queued: 'queued_at',
  sending: 'sending_at',
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
  expired: 'expired_at',
  cancelled: 'cancelled_at',
  unknown: 'unknown_at',
};

export interface StateChange {
  from: MessageState;
  to: MessageState;
  at: number;
  /** Earlier states reached implicitly (read before delivered means delivered too): their stamps are filled. */
  implied: MessageState[];
  providerId?: string;
  errorCode?: string | null;
  errorReason?: string | null;
  notBefore?: number;
  countAttempt?: boolean;
}

/** Compare-and-set on the state: returns false when another writer moved the message first. */
export function updateMessageState(db: Db, id: number, c: StateChange): boolean {
  const sets = ['state = @to', 'updated_at = @at', `${stampColumn[c.to]} = COALESCE(${stampColumn[c.to]}, @at)`];
  for (const s of c.implied) sets.push(`${stampColumn[s]} = COALESCE(${stampColumn[s]}, @at)`);
  if (c.providerId !== undefined) sets.push('provider_id = @providerId');
  if (c.errorCode !== undefined) sets.push('last_error_code = @errorCode');
  if (c.errorReason !== undefined) sets.push('last_error_reason = @errorReason');
  if (c.notBefore !== undefined) sets.push('not_before = @notBefore');
  if (c.countAttempt) sets.push('attempts = attempts + 1');
  const info = prepared(db, `UPDATE messages SET ${sets.join(', ')} WHERE id = @id AND state = @from`).run({
    id,
    to: c.to,
    from: c.from,
    at: c.at,
    providerId: c.providerId ?? null,
    errorCode: c.errorCode ?? null,
    errorReason: c.errorReason ?? null,
    notBefore: c.notBefore ?? null,
  });
  return info.changes === 1;
}

export function insertMessageEvent(
  db: Db,
  e: { messageId: number; state: MessageState; at: number; errorCode?: string | null; errorReason?: string | null },
): void {
  prepared(db, 
    'INSERT INTO message_events (message_id, state, at, error_code, error_reason) VALUES (?, ?, ?, ?, ?)',
  ).run(e.messageId, e.state, e.at, e.errorCode ?? null, e.errorReason ?? null);
}

/** Stores an inbound reply once per provider message id; returns its id, or null when it was a duplicate. */
export function insertReply(
  db: Db,
  r: { providerMessageId: string; messageId: number | null; patientId: number | null; fromPhone: string; body: string; at: number },
): number | null {
  const info = prepared(db, 
      `INSERT INTO replies (provider_message_id, message_id, patient_id, from_phone, body, received_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(provider_message_id) DO NOTHING`,
    )
    .run(r.providerMessageId, r.messageId, r.patientId, r.fromPhone, r.body, r.at);
  return info.changes === 1 ? Number(info.lastInsertRowid) : null;
}

/** The stored fields of a message, to write a new attempt of the same content. */
export function messageRecordOf(db: Db, id: number): MessageRecord {
  const row = prepared(db, 
      `SELECT kind, idempotency_key AS idempotencyKey, patient_id AS patientId, site_id AS siteId,
        service_id AS serviceId, appointment_id AS appointmentId, result_id AS resultId, resend_of AS resendOf,
        channel, to_phone AS toPhone, to_email AS toEmail, template_name AS templateName,
        template_language AS templateLanguage, template_params AS templateParams, body, document_path AS documentPath,
        document_filename AS documentFilename, buttons, link_url AS linkUrl, priority, not_before AS notBefore
       FROM messages WHERE id = ?`,
    )
    .get(id) as Omit<MessageRecord, 'templateParams' | 'buttons'> & { templateParams: string; buttons: string };
  return {
    ...row,
    templateParams: JSON.parse(row.templateParams) as string[],
    buttons: JSON.parse(row.buttons) as { id: string; title: string }[],
  };
}

/** The last message that went to a phone: what a reply without a quoted message most likely answers. */
export function latestMessageIdTo(db: Db, phone: string): number | null {
  const row = prepared(db, 
      `SELECT id FROM messages WHERE to_phone = ? AND state IN ('sent', 'delivered', 'read')
       ORDER BY sent_at DESC, id DESC LIMIT 1`,
    )
    .get(phone) as { id: number } | undefined;
  return row?.id ?? null;
}

/** What a channel needs to send one message, and how many attempts it has had. */
export interface DispatchRow extends OutgoingMessage {
  attempts: number;
  channel: ChannelId;
  priority: number;
}

/** Everything a channel needs to send one message, in one read. */
export function dispatchRowOf(db: Db, id: number): DispatchRow | undefined {
  const row = prepared(
    db,
    `SELECT id, kind, channel, to_phone AS toPhone, to_email AS toEmail, body, template_name AS templateName, template_language AS templateLanguage,
      template_params AS templateParams, document_path AS documentPath, document_filename AS documentFilename,
      buttons, link_url AS linkUrl, as_template AS asTemplate, attempts, priority
     FROM messages WHERE id = ?`,
  ).get(id) as
    | (Omit<DispatchRow, 'templateParams' | 'buttons' | 'document' | 'asTemplate'> & {
        templateParams: string;
        buttons: string;
        documentPath: string | null;
        documentFilename: string | null;
        asTemplate: number;
      })
    | undefined;
  if (!row) return undefined;
  const { documentPath, documentFilename, ...rest } = row;
  return {
    ...rest,
    templateParams: JSON.parse(row.templateParams) as string[],
    buttons: JSON.parse(row.buttons) as { id: string; title: string }[],
    document: documentPath ? { path: documentPath, filename: documentFilename ?? 'documento.pdf' } : null,
    asTemplate: row.asTemplate === 1,
  };
}

/** Moves a queued message's moment later without changing its state (pacing, caps). */
export function deferMessage(db: Db, id: number, notBefore: number): void {
  prepared(db, `UPDATE messages SET not_before = ? WHERE id = ? AND state = 'queued'`).run(notBefore, id);
}

/** A queued message whose preparation failed (an upload): it waits until `notBefore`, the reason kept on it and its events. */
export function deferWithError(db: Db, id: number, at: number, notBefore: number, code: string, reason: string): boolean {
  return db.transaction(() => {
    const info = prepared(
      db,
      `UPDATE messages SET not_before = ?, last_error_code = ?, last_error_reason = ?, updated_at = ? WHERE id = ? AND state = 'queued'`,
    ).run(notBefore, code, reason, at, id);
    if (info.changes !== 1) return false;
    insertMessageEvent(db, { messageId: id, state: 'queued', at, errorCode: code, errorReason: reason });
    return true;
  })();
}

export function markAsTemplate(db: Db, id: number): void {
  prepared(db, 'UPDATE messages SET as_template = 1 WHERE id = ?').run(id);
}

export function addSendCount(db: Db, channel: string, day: string): void {
  prepared(
    db,
    `INSERT INTO send_counts (channel, day, sent) VALUES (?, ?, 1)
     ON CONFLICT(channel, day) DO UPDATE SET sent = sent + 1`,
  ).run(channel, day);
}

export function sendCount(db: Db, channel: string, day: string): number {
  const row = prepared(db, 'SELECT sent FROM send_counts WHERE channel = ? AND day = ?').get(channel, day) as
    | { sent: number }
    | undefined;
  return row?.sent ?? 0;
}

/** Messages in `sending` since before a moment: candidates for reconciliation. */
export function staleSendingIds(db: Db, before: number): number[] {
  return (
    prepared(db, `SELECT id FROM messages WHERE state = 'sending' AND sending_at < ? ORDER BY id`).all(before) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

export interface MessageEventRow {
  state: string;
  at: number;
  errorCode: string | null;
  errorReason: string | null;
}

export function messageEvents(db: Db, messageId: number): MessageEventRow[] {
  return prepared(
    db,
    `SELECT state, at, error_code AS errorCode, error_reason AS errorReason FROM message_events
     WHERE message_id = ? ORDER BY id`,
  ).all(messageId) as MessageEventRow[];
}

export function repliesTo(db: Db, messageId: number): { id: number; body: string; receivedAt: number }[] {
  return prepared(
    db,
    'SELECT id, body, received_at AS receivedAt FROM replies WHERE message_id = ? ORDER BY id',
  ).all(messageId) as { id: number; body: string; receivedAt: number }[];
}

/** When a phone last wrote to the clinic: it opens WhatsApp's 24-hour window for free-form messages. */
export function lastInboundAt(db: Db, phone: string): number | null {
  const row = prepared(db, 'SELECT MAX(received_at) AS t FROM replies WHERE from_phone = ?').get(phone) as {
    t: number | null;
  };
  return row.t;
}

/**
 * Every row in the same chain of attempts as a message (what it was a copy of, and every copy of it or of them),
 * oldest first, the message itself left out.
 */
export function relatedMessages(db: Db, id: number): Message[] {
  return prepared(
    db,
    `WITH RECURSIVE up(id, resend_of) AS (
       SELECT id, resend_of FROM messages WHERE id = @id
       UNION SELECT m.id, m.resend_of FROM messages m JOIN up ON m.id = up.resend_of
     ),
     root AS (SELECT id FROM up WHERE resend_of IS NULL),
     down(id) AS (
       SELECT id FROM root
       UNION SELECT m.id FROM messages m JOIN down ON m.resend_of = down.id
     )
     ${selectMessage} WHERE m.id IN (SELECT id FROM down) AND m.id <> @id ORDER BY m.id`,
  ).all({ id }) as Message[];
}
