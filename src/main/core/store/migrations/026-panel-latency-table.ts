// The Panel's latency histograms in a table of their own, written only for messages that were delivered or read.
//
// Until now each panel_daily row carried 71 counters: 11 for states and replies, 60 for the two latency histograms.
// Every message written (a queued message, each move to sending, sent, failed or cancelled) rewrote a row five times
// wider than the counters it can change. The histograms now live in panel_latency, with the same key; panel_daily
// keeps total, the state counters and replied. A write that cannot change a latency (no delivered_at and no read_at
// before or after it) touches panel_daily alone, and a change of delivered_at/read_at alone touches panel_latency
// alone. Both tables are moved as they are (no recount); the failure and appointment roll-ups and their triggers
// stay those of migration 24. Frozen once shipped: a change needs a new migration.
import { PANEL_STATES } from './006-panel';
import {
  KEY,
  STATE_COUNTERS,
  appointmentsBackfill,
  applyFailure,
  buckets,
  dayOf,
  deliveryOf,
  failuresBackfill,
  keyOf,
  readOf,
  repliedOf,
  repliesTriggers,
  siteDayOf,
  siteOf,
  untimed,
} from './024-site-day-panel';

/** The histogram columns of panel_latency: d<i> time to delivery, r<i> time to read, bucket i (see migration 6). */
export const LATENCY_COUNTERS: readonly string[] = Object.freeze([
  ...buckets.map((i) => `d${i}`),
  ...buckets.map((i) => `r${i}`),
]);
/** The counter columns of panel_daily from this migration on. */
export const DAILY_COUNTERS: readonly string[] = Object.freeze([...STATE_COUNTERS]);

const upsert = (counters: readonly string[]) =>
  `ON CONFLICT (${KEY}) DO UPDATE SET ${counters.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;

/** A message row's contribution to its panel_daily row, times `sign`. */
function applyStates(r: string, sign: '+' | '-'): string {
  const values = [`${sign}1`, ...PANEL_STATES.map((s) => `${sign}(${r}.state = '${s}')`), `${sign}${repliedOf(r)}`];
  return `INSERT INTO panel_daily (${KEY}, ${DAILY_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')} WHERE true
    ${upsert(DAILY_COUNTERS)}`;
}

/** A delivered or read message row's contribution to its panel_latency row, times `sign`; nothing for the others. */
function applyLatency(r: string, sign: '+' | '-'): string {
  const values = [...buckets.map((i) => `${sign}IFNULL(b.d = ${i}, 0)`), ...buckets.map((i) => `${sign}IFNULL(b.r = ${i}, 0)`)];
  return `INSERT INTO panel_latency (${KEY}, ${LATENCY_COUNTERS.join(', ')})
    SELECT ${keyOf(r)}, ${values.join(', ')}
    FROM (SELECT ${deliveryOf(r)} AS d, ${readOf(r)} AS r) b WHERE NOT ${untimed(r)}
    ${upsert(LATENCY_COUNTERS)}`;
}

// What a row's place in each table depends on: its key (moment, site, service, kind, channel) and its counters.
const keyColumns = ['sent_at', 'not_before', 'site_id', 'service_id', 'kind', 'channel'];
const stateColumns = ['state', ...keyColumns];
const latencyColumns = ['delivered_at', 'read_at', ...keyColumns];
const changedAny = (columns: readonly string[]) => `(${columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')})`;

/** Recounts panel_daily and panel_latency from messages and replies, then the failure and appointment roll-ups. */
export const panelBackfill = `
INSERT INTO panel_daily (${KEY}, ${DAILY_COUNTERS.join(', ')})
SELECT ${KEY}, COUNT(*), ${PANEL_STATES.map((s) => `SUM(state = '${s}')`).join(', ')}, SUM(replied)
FROM (SELECT ${dayOf('m')} AS day, ${siteDayOf('m')} AS site_day, ${siteOf('m')} AS site_id,
  IFNULL(m.service_id, 0) AS service_id, m.kind, m.channel, m.state, ${repliedOf('m')} AS replied FROM messages m)
GROUP BY ${KEY};
INSERT INTO panel_latency (${KEY}, ${LATENCY_COUNTERS.join(', ')})
SELECT ${KEY}, ${buckets.map((i) => `SUM(IFNULL(d = ${i}, 0))`).join(', ')}, ${buckets.map((i) => `SUM(IFNULL(r = ${i}, 0))`).join(', ')}
FROM (SELECT ${dayOf('m')} AS day, ${siteDayOf('m')} AS site_day, ${siteOf('m')} AS site_id,
  IFNULL(m.service_id, 0) AS service_id, m.kind, m.channel, ${deliveryOf('m')} AS d, ${readOf('m')} AS r
  FROM messages m WHERE NOT ${untimed('m')})
GROUP BY ${KEY};
${failuresBackfill}${appointmentsBackfill}`;

const keyTable = (name: string, counters: readonly string[]) => `CREATE TABLE ${name} (
  day TEXT NOT NULL,
  site_day TEXT NOT NULL,
  site_id INTEGER NOT NULL,
  service_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  ${counters.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (${KEY})
) WITHOUT ROWID;`;

// The triggers of migration 24 that write panel_daily's wide rows; the failure-only and appointment triggers stay.
const replacedTriggers = [
  'panel_messages_insert_untimed', 'panel_messages_insert_timed',
  'panel_messages_update_untimed', 'panel_messages_update_timed',
  'panel_messages_delete', 'panel_replies_insert', 'panel_replies_delete', 'panel_replies_move',
];

export const panelLatencyTable = `
${replacedTriggers.map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n')}

${keyTable('panel_latency', LATENCY_COUNTERS)}
INSERT INTO panel_latency (${KEY}, ${LATENCY_COUNTERS.join(', ')})
SELECT ${KEY}, ${LATENCY_COUNTERS.join(', ')} FROM panel_daily
WHERE ${LATENCY_COUNTERS.map((c) => `${c} <> 0`).join(' OR ')};

${keyTable('panel_daily_states', DAILY_COUNTERS)}
INSERT INTO panel_daily_states (${KEY}, ${DAILY_COUNTERS.join(', ')})
SELECT ${KEY}, ${DAILY_COUNTERS.join(', ')} FROM panel_daily;
DROP TABLE panel_daily;
ALTER TABLE panel_daily_states RENAME TO panel_daily;

CREATE TRIGGER panel_messages_insert AFTER INSERT ON messages BEGIN
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_insert_timed AFTER INSERT ON messages
WHEN NOT ${untimed('NEW')}
BEGIN
  ${applyLatency('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_states AFTER UPDATE OF ${stateColumns.join(', ')} ON messages
WHEN ${changedAny(stateColumns)}
BEGIN
  ${applyStates('OLD', '-')}
  ${applyStates('NEW', '+')}
END;

CREATE TRIGGER panel_messages_update_latency AFTER UPDATE OF ${latencyColumns.join(', ')} ON messages
WHEN ${changedAny(latencyColumns)} AND NOT (${untimed('OLD')} AND ${untimed('NEW')})
BEGIN
  ${applyLatency('OLD', '-')}
  ${applyLatency('NEW', '+')}
END;

CREATE TRIGGER panel_messages_delete AFTER DELETE ON messages BEGIN
  ${applyStates('OLD', '-')}
  ${applyLatency('OLD', '-')}
  ${applyFailure('OLD', '-')}
END;

${repliesTriggers}
`;
