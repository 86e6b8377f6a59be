import { prepared, type Db } from './db';

// ── Auth state ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface AuthRow {
  kind: string;
  idMac: Buffer;
  value: Buffer;
}

export function getWrappedKey(db: Db): Buffer | null {
  const row = prepared(db, 'SELECT wrapped_key AS k FROM linked_device_keyring WHERE id = 1').get() as
    | { k: Buffer }
    | undefined;
  return row?.k ?? null;
}

export function putWrappedKey(db: Db, wrapped: Buffer, at: number): void {
  prepared(db, 'INSERT INTO linked_device_keyring (id, wrapped_key, created_at) VALUES (1, ?, ?)').run(wrapped, at);
}

export function getAuthValues(db: Db, kind: string, idMacs: Buffer[]): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const select = prepared(db, 'SELECT value FROM linked_device_auth WHERE kind = ? AND id_mac = ?');
  for (const idMac of idMacs) {
    const row = select.get(kind, idMac) as { value: Buffer } | undefined;
    if (row) found.set(idMac.toString('hex'), row.value);
  }
  return found;
}

/** Upserts and deletes in one transaction: what Baileys changed together lands together, or not at all. */
export function writeAuth(db: Db, changes: { put: AuthRow[]; remove: { kind: string; idMac: Buffer }[] }, at: number): void {
  const upsert = prepared(
    db,
    `INSERT INTO linked_device_auth (kind, id_mac, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(kind, id_mac) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = prepared(db, 'DELETE FROM linked_device_auth WHERE kind = ? AND id_mac = ?');
  db.transaction(() => {
    for (const r of changes.put) upsert.run(r.kind, r.idMac, r.value, at);
    for (const r of changes.remove) remove.run(r.kind, r.idMac);
  })();
}

/** Forgets the session entirely (logged out): the next link starts from fresh credentials and a fresh data key. */
export function clearAuth(db: Db): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM linked_device_auth').run();
    prepared(db, 'DELETE FROM linked_device_keyring').run();
  })();
}

/** Drops every signal key but keeps the rows of one kind (the credentials). */
export function clearAuthExcept(db: Db, kind: string): void {
  prepared(db, 'DELETE FROM linked_device_auth WHERE kind <> ?').run(kind);
}

// ── LID ↔ phone ─────────────────────────────────────────────────────────────────────────────────────────────────

export function putLid(db: Db, lid: string, phone: string, at: number): boolean {
  const info = prepared(
    db,
    `INSERT INTO linked_device_lids (lid, phone, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(lid) DO UPDATE SET phone = excluded.phone, updated_at = excluded.updated_at
     WHERE linked_device_lids.phone <> excluded.phone`,
  ).run(lid, phone, at);
  return info.changes === 1;
}

export function phoneForLid(db: Db, lid: string): string | null {
  const row = prepared(db, 'SELECT phone FROM linked_device_lids WHERE lid = ?').get(lid) as
    | { phone: string }
    | undefined;
  return row?.phone ?? null;
}

// ── Contacts who wrote ──────────────────────────────────────────────────────────────────────────────────────────

export function markInbound(db: Db, phone: string, at: number): void {
  prepared(
    db,
    `INSERT INTO linked_device_contacts (phone, first_inbound_at, last_inbound_at) VALUES (?, ?, ?)
     ON CONFLICT(phone) DO UPDATE SET
       first_inbound_at = MIN(first_inbound_at, excluded.first_inbound_at),
       last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
  ).run(phone, at, at);
}

export function hasWritten(db: Db, phone: string): boolean {
  return prepared(db, 'SELECT 1 FROM linked_device_contacts WHERE phone = ?').get(phone) !== undefined;
}

// ── Sent messages ───────────────────────────────────────────────────────────────────────────────────────────────

export interface SentRow {
  providerId: string;
  messageId: number;
  phone: string;
  options: { id: string; title: string }[];
}

export function recordSent(
  db: Db,
  s: { providerId: string; messageId: number; phone: string; options: { id: string; title: string }[]; at: number },
): void {
  prepared(
    db,
    `INSERT INTO linked_device_sent (provider_id, message_id, phone, options, sent_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(provider_id) DO UPDATE SET sent_at = excluded.sent_at`,
  ).run(s.providerId, s.messageId, s.phone, JSON.stringify(s.options), s.at);
}

export function storeSentContent(db: Db, providerId: string, content: Buffer): void {
  prepared(db, 'UPDATE linked_device_sent SET content = ? WHERE provider_id = ?').run(content, providerId);
}

export function sentContent(db: Db, providerId: string): Buffer | null {
  const row = prepared(db, 'SELECT content FROM linked_device_sent WHERE provider_id = ?').get(providerId) as
    | { content: Buffer | null }
    | undefined;
  return row?.content ?? null;
}

export function sentByProviderId(db: Db, providerId: string): SentRow | undefined {
  const row = prepared(
    db,
    `SELECT provider_id AS providerId, message_id AS messageId, phone, options
     FROM linked_device_sent WHERE provider_id = ?`,
  ).get(providerId) as (Omit<SentRow, 'options'> & { options: string }) | undefined;
  return row && { ...row, options: JSON.parse(row.options) as SentRow['options'] };
}

/** The last message this phone was sent through the linked device: what an unquoted "1" answers. */
export function latestSentTo(db: Db, phone: string): SentRow | undefined {
  const row = prepared(
    db,
    `SELECT provider_id AS providerId, message_id AS messageId, phone, options
     FROM linked_device_sent WHERE phone = ? ORDER BY sent_at DESC, rowid DESC LIMIT 1`,
  ).get(phone) as (Omit<SentRow, 'options'> & { options: string }) | undefined;
  return row && { ...row, options: JSON.parse(row.options) as SentRow['options'] };
}

// ── Replies waiting for a LID mapping ───────────────────────────────────────────────────────────────────────────

export interface PendingInbound {
  providerMessageId: string;
  lid: string;
  body: string;
  payload: string | null;
  inReplyTo: string | null;
  receivedAt: number;
}

export function putPendingInbound(db: Db, p: PendingInbound): void {
  prepared(
    db,
    `INSERT INTO linked_device_pending_inbound (provider_message_id, lid, body, payload, in_reply_to, received_at)
     VALUES (@providerMessageId, @lid, @body, @payload, @inReplyTo, @receivedAt)
     ON CONFLICT(provider_message_id) DO NOTHING`,
  ).run(p);
}

export function pendingInboundFor(db: Db, lid: string): PendingInbound[] {
  return prepared(
    db,
    `SELECT provider_message_id AS providerMessageId, lid, body, payload, in_reply_to AS inReplyTo,
      received_at AS receivedAt
     FROM linked_device_pending_inbound WHERE lid = ? ORDER BY received_at, rowid`,
  ).all(lid) as PendingInbound[];
}

export function countPendingInbound(db: Db): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM linked_device_pending_inbound').get() as { n: number }).n;
}

export function deletePendingInbound(db: Db, providerMessageId: string): void {
  prepared(db, 'DELETE FROM linked_device_pending_inbound WHERE provider_message_id = ?').run(providerMessageId);
}

// ── Budget ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface DayCounts {
  sent: number;
  firstContacts: number;
}

export function dayCounts(db: Db, day: string): DayCounts {
  const row = prepared(
    db,
    'SELECT sent, first_contacts AS firstContacts FROM linked_device_days WHERE day = ?',
  ).get(day) as DayCounts | undefined;
  return row ?? { sent: 0, firstContacts: 0 };
}

export function addDaySend(db: Db, day: string, firstContact: boolean): void {
  prepared(
    db,
    `INSERT INTO linked_device_days (day, sent, first_contacts) VALUES (?, 1, ?)
     ON CONFLICT(day) DO UPDATE SET sent = sent + 1, first_contacts = first_contacts + excluded.first_contacts`,
  ).run(day, firstContact ? 1 : 0);
}

export function addFailure(db: Db, f: { at: number; code: string; providerId: string | null }): void {
  prepared(db, 'INSERT INTO linked_device_failures (at, code, provider_id) VALUES (?, ?, ?)').run(
    f.at,
    f.code,
    f.providerId,
  );
}

/** Failures since a moment; one per provider message, since WhatsApp may report the same failure twice. */
export function failuresSince(db: Db, since: number): { at: number; code: string }[] {
  return prepared(
    db,
    `SELECT MIN(at) AS at, code FROM linked_device_failures WHERE at >= ?
     GROUP BY COALESCE(provider_id, 'row:' || id) ORDER BY at`,
  ).all(since) as { at: number; code: string }[];
}

export function pruneFailures(db: Db, before: number): void {
  prepared(db, 'DELETE FROM linked_device_failures WHERE at < ?').run(before);
}

export interface PauseRow {
  code: string;
  detail: string | null;
  since: number;
  until: number | null;
}

export function getPause(db: Db): PauseRow | null {
  const row = prepared(db, 'SELECT code, detail, since, until FROM linked_device_pause WHERE id = 1').get() as
    | PauseRow
    | undefined;
  return row ?? null;
}

export function setPause(db: Db, p: PauseRow): void {
  prepared(
    db,
    `INSERT INTO linked_device_pause (id, code, detail, since, until) VALUES (1, @code, @detail, @since, @until)
     ON CONFLICT(id) DO UPDATE SET code = excluded.code, detail = excluded.detail, since = excluded.since,
       until = excluded.until`,
  ).run(p);
}

/** Clearing also forgets the failures that caused the pause, or the next one would pause again at once. */
export function clearPause(db: Db, at: number): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM linked_device_pause').run();
    prepared(db, 'DELETE FROM linked_device_failures WHERE at <= ?').run(at);
  })();
}

// ── WhatsApp addresses of patients' numbers ─────────────────────────────────────────────────────────────────────

export interface AddressRow {
  phone: string;
  /** Null: WhatsApp said the number has no account. */
  jid: string | null;
  checkedAt: number;
  stale: boolean;
}

export function addressOf(db: Db, phone: string): AddressRow | null {
  const row = prepared(db, 'SELECT phone, jid, checked_at AS checkedAt, stale FROM linked_device_addresses WHERE phone = ?').get(phone) as
    | (Omit<AddressRow, 'stale'> & { stale: number })
    | undefined;
  return row ? { ...row, stale: row.stale === 1 } : null;
}

export function putAddress(db: Db, phone: string, jid: string | null, at: number): void {
  prepared(
    db,
    `INSERT INTO linked_device_addresses (phone, jid, checked_at, stale) VALUES (?, ?, ?, 0)
     ON CONFLICT(phone) DO UPDATE SET jid = excluded.jid, checked_at = excluded.checked_at, stale = 0`,
  ).run(phone, jid, at);
}

/** After a failure the address is asked again before the next send to that number. */
export function markAddressStale(db: Db, phone: string): void {
  prepared(db, 'UPDATE linked_device_addresses SET stale = 1 WHERE phone = ?').run(phone);
}

/** The stored number behind a WhatsApp address ("+525512345678" for 5215512345678@s.whatsapp.net), if Avisa asked. */
export function phoneForAddress(db: Db, jid: string): string | null {
  const row = prepared(db, 'SELECT phone FROM linked_device_addresses WHERE jid = ? ORDER BY checked_at DESC LIMIT 1').get(jid) as
    | { phone: string }
    | undefined;
  return row?.phone ?? null;
}

// ── Link time and counters ──────────────────────────────────────────────────────────────────────────────────────

export function linkedAt(db: Db): number | null {
  const row = prepared(db, 'SELECT linked_at AS at FROM linked_device_link WHERE id = 1').get() as { at: number } | undefined;
  return row?.at ?? null;
}

export function setLinkedAt(db: Db, at: number | null): void {
  if (at === null) prepared(db, 'DELETE FROM linked_device_link').run();
  else prepared(db, 'INSERT INTO linked_device_link (id, linked_at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET linked_at = excluded.linked_at').run(at);
}

export function unlinkRequested(db: Db): boolean {
  return prepared(db, 'SELECT 1 FROM linked_device_unlink WHERE id = 1').get() !== undefined;
}

export function setUnlinkRequested(db: Db, requested: boolean, at: number): void {
  if (requested) prepared(db, 'INSERT INTO linked_device_unlink (id, requested_at) VALUES (1, ?) ON CONFLICT(id) DO NOTHING').run(at);
  else prepared(db, 'DELETE FROM linked_device_unlink').run();
}

export function addToCounter(db: Db, name: string, by: number, at: number): void {
  prepared(
    db,
    `INSERT INTO linked_device_counters (name, n, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET n = n + excluded.n, updated_at = excluded.updated_at`,
  ).run(name, by, at);
}

export function counter(db: Db, name: string): number {
  const row = prepared(db, 'SELECT n FROM linked_device_counters WHERE name = ?').get(name) as { n: number } | undefined;
  return row?.n ?? 0;
}

/** The LIDs that have replies waiting, to ask Baileys about them again when the socket opens. */
export function pendingInboundLids(db: Db): string[] {
  return (prepared(db, 'SELECT DISTINCT lid FROM linked_device_pending_inbound').all() as { lid: string }[]).map((r) => r.lid);
}

/** When a message went through the phone: getMessage answers retries only for recent ones. */
export function sentAt(db: Db, providerId: string): number | null {
  const row = prepared(db, 'SELECT sent_at AS at FROM linked_device_sent WHERE provider_id = ?').get(providerId) as { at: number } | undefined;
  return row?.at ?? null;
}
