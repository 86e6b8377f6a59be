// The Panel's triggers on messages, split so that most writes touch only the few counters they can change.
//
// Migration 6 added one insert and one update trigger that rewrote all 71 counters of a panel_daily row (and computed
// both latency histograms) on every write. Yet a message without delivered_at and read_at contributes nothing to the
// histograms: queueing, sending, a move of its moment, a cancellation or a failure only change `total`, the state
// counters and `replied`. Those writes now upsert those 11 columns; only a message that was or becomes delivered or
// read goes through the full row. The failure roll-up runs only when a failed state is involved. The tables, their
// meaning and the backfill stay those of migration 6, so the roll-ups remain equal to a recount.
//
// Frozen once shipped, like migration 6: a change needs a new migration.
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, PANEL_COUNTERS, PANEL_STATES } from './006-panel';

const buckets = Array.from({ length: LATENCY_BUCKETS }, (_, i) => i);
const STATE_COUNTERS = ['total', ...PANEL_STATES.map((s) => `s_${s}`), 'replied'];

const bucketOf = (latency: string) =>
  `CASE WHEN ${latency} IS NULL THEN NULL ${LATENCY_BOUNDS_MS.map((b, i) => `WHEN ${latency} < ${b} THEN ${i}`).join(' ')} ELSE ${LATENCY_BUCKETS - 1} END`;
const momentOf = (r: string) => `COALESCE(${r}.sent_at, ${r}.not_before)`;
const dayOf = (r: string) =>
  `date((${momentOf(r)} + 60000 * IFNULL((SELECT offset_minutes FROM panel_clock WHERE since <= ${momentOf(r)}
    ORDER BY since DESC LIMIT 1), 0)) / 1000.0, 'unixepoch')`;
const keyOf = (r: string) => `${dayOf(r)}, IFNULL(${r}.site_id, 0), IFNULL(${r}.service_id, 0), ${r}.kind, ${r}.channel`;
const KEY = 'day, site_id, service_id, kind, channel';
const repliedOf = (r: string) => `EXISTS (SELECT 1 FROM replies WHERE message_id = ${r}.id)`;
const deliveryOf = (r: string) => bucketOf(`(${r}.delivered_at - ${r}.sent_at)`);
const readOf = (r: string) => bucketOf(`(${r}.read_at - ${r}.sent_at)`);

/** Neither delivered nor read: both latencies are NULL, so the row adds nothing to the histograms. */
const untimed = (r: string) => `(${r}.delivered_at IS NULL AND ${r}.read_at IS NULL)`;

/** The contribution of an untimed message row to its panel_daily row, times `sign`: the histogram columns stay. */
function applyStates(r: string, sign: '+' | '-'): string {
  const values = [`${sign}1`, ...PANEL_STATES.map((s) => `${sign}(${r}.state = '${s}')`), `${sign}${repliedOf(r)}`];
  return `INSERT INTO panel_daily (${KEY}, ${STATE_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')} WHERE true
    ON CONFLICT (${KEY}) DO UPDATE SET ${STATE_COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;
}

/** The contribution of any message row to its panel_daily row, times `sign` (as migration 6 wrote it). */
function applyDaily(r: string, sign: '+' | '-'): string {
  const values = [
    `${sign}1`,
    ...PANEL_STATES.map((s) => `${sign}(${r}.state = '${s}')`),
    `${sign}${repliedOf(r)}`,
    ...buckets.map((i) => `${sign}IFNULL(b.d = ${i}, 0)`),
    ...buckets.map((i) => `${sign}IFNULL(b.r = ${i}, 0)`),
  ];
  return `INSERT INTO panel_daily (${KEY}, ${PANEL_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')}
    FROM (SELECT ${deliveryOf(r)} AS d, ${readOf(r)} AS r) b WHERE true
    ON CONFLICT (${KEY}) DO UPDATE SET ${PANEL_COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;
}

function applyFailure(r: string, sign: '+' | '-'): string {
  return `INSERT INTO panel_failures (${KEY}, code, reason, n)
    SELECT ${keyOf(r)}, IFNULL(${r}.last_error_code, ''), IFNULL(${r}.last_error_reason, ''), ${sign}1
    WHERE ${r}.state = 'failed'
    ON CONFLICT (${KEY}, code, reason) DO UPDATE SET n = n + excluded.n;`;
}

const watched = ['state', 'sent_at', 'delivered_at', 'read_at', 'not_before', 'site_id', 'service_id', 'kind', 'channel',
  'last_error_code', 'last_error_reason'];
const changed = `(${watched.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')})`;

export const narrowPanelTriggers = `
DROP TRIGGER panel_messages_insert;
DROP TRIGGER panel_messages_update;

CREATE TRIGGER panel_messages_insert_untimed AFTER INSERT ON messages
WHEN ${untimed('NEW')}
BEGIN
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_insert_timed AFTER INSERT ON messages
WHEN NOT ${untimed('NEW')}
BEGIN
  ${applyDaily('NEW', '+')}
END;

CREATE TRIGGER panel_messages_insert_failed AFTER INSERT ON messages
WHEN NEW.state = 'failed'
BEGIN
  ${applyFailure('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_untimed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND ${untimed('OLD')} AND ${untimed('NEW')}
BEGIN
  ${applyStates('OLD', '-')}
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_timed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND NOT (${untimed('OLD')} AND ${untimed('NEW')})
BEGIN
  ${applyDaily('OLD', '-')}
  ${applyDaily('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_failed AFTER UPDATE OF ${watched.join(', ')} ON messages
WHEN ${changed} AND (OLD.state = 'failed' OR NEW.state = 'failed')
BEGIN
  ${applyFailure('OLD', '-')}
  ${applyFailure('NEW', '+')}
END;
`;
