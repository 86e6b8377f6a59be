import { prepared, type Db } from './db';

/** A webhook the receiver refused (forged or missing signature, too large): counted so a person can see it. */
export function insertRefusal(db: Db, at: number, httpStatus: number, reason: string): void {
  prepared(db, 'INSERT INTO webhook_refusals (at, http_status, reason) VALUES (?, ?, ?)').run(at, httpStatus, reason);
}

export function refusalsSince(db: Db, since: number): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM webhook_refusals WHERE at >= ?').get(since) as { n: number }).n;
}

/** When the last authenticated webhook arrived, or null if none ever did. */
export function lastWebhookAt(db: Db): number | null {
  return (prepared(db, 'SELECT MAX(received_at) AS at FROM webhook_inbox').get() as { at: number | null }).at;
}

/** Whether a stored webhook body contains `marker` and arrived at or after `since` (the reception test's probe). */
export function webhookWithMarkerSince(db: Db, marker: string, since: number): boolean {
  return (
    prepared(db, 'SELECT 1 FROM webhook_inbox WHERE received_at >= ? AND instr(body, ?) > 0 LIMIT 1').get(since, marker) !==
    undefined
  );
}

/** The first message a channel had accepted after `after` (exclusive), or null. */
export function firstSentAfter(db: Db, channel: string, after: number): number | null {
  return (
    prepared(db, 'SELECT MIN(sent_at) AS at FROM messages WHERE channel = ? AND sent_at > ?').get(channel, after) as {
      at: number | null;
    }
  ).at;
}

/**
 * Periods in which a channel's messages were accepted but no webhook came for longer than `gapMs`: each period runs
 * from a send that was followed by silence until the next webhook (or `now`).
 */
export function silentPeriods(db: Db, channel: string, from: number, to: number, gapMs: number): { from: number; to: number }[] {
  const webhooks = (
    prepared(db, 'SELECT received_at AS at FROM webhook_inbox WHERE received_at BETWEEN ? AND ? ORDER BY received_at').all(
      from - gapMs,
      to,
    ) as { at: number }[]
  ).map((r) => r.at);
  const periods: { from: number; to: number }[] = [];
  let previous = from;
  for (const next of [...webhooks.filter((w) => w >= from), to]) {
    // Only a gap longer than the threshold can hide a send that waited that long for its first webhook.
    if (next - previous > gapMs) {
      const sent = firstSentAfter(db, channel, previous - 1);
      if (sent !== null && sent < next && next - sent > gapMs) periods.push({ from: sent, to: next });
    }
    previous = next;
  }
  return periods;
}

export interface RegistrationRow {
  at: number;
  address: string;
  target: string;
  ok: boolean;
  errorCode: string | null;
  errorReason: string | null;
}

export function insertRegistration(db: Db, r: RegistrationRow): void {
  prepared(
    db,
    'INSERT INTO webhook_registrations (at, address, target, ok, error_code, error_reason) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(r.at, r.address, r.target, r.ok ? 1 : 0, r.errorCode, r.errorReason);
}

/** The latest registration attempt, and the latest one Meta accepted. */
export function lastRegistrations(db: Db): { last: RegistrationRow | null; lastOk: RegistrationRow | null } {
  const select = `SELECT at, address, target, ok, error_code AS errorCode, error_reason AS errorReason FROM webhook_registrations`;
  const row = (r: unknown): RegistrationRow | null => {
    if (!r) return null;
    const x = r as Omit<RegistrationRow, 'ok'> & { ok: number };
    return { ...x, ok: x.ok === 1 };
  };
  return {
    last: row(prepared(db, `${select} ORDER BY id DESC LIMIT 1`).get()),
    lastOk: row(prepared(db, `${select} WHERE ok = 1 ORDER BY id DESC LIMIT 1`).get()),
  };
}
