// How Meta's webhooks reach Avisa: refused deliveries (counted and shown), and each registration of the public address
// at Meta (when, where, and Meta's answer). The inbox gains an index on arrival time for "last webhook received" and
// the silence alarm, and messages an index on when each channel sent them (the same alarm asks it).
export const webhookReception = `
CREATE TABLE webhook_refusals (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX webhook_refusals_at ON webhook_refusals(at);

CREATE TABLE webhook_registrations (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  address TEXT NOT NULL,
  target TEXT NOT NULL,
  ok INTEGER NOT NULL,
  error_code TEXT,
  error_reason TEXT
);

CREATE INDEX webhook_inbox_received ON webhook_inbox(received_at);
CREATE INDEX messages_channel_sent ON messages(channel, sent_at);
`;
