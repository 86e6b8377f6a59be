// Linked device: each patient's number as WhatsApp knows it, when the current link was made, and small counters.
export const linkedDeviceAddresses = `
-- The address WhatsApp gave (onWhatsApp) for a number Avisa stores: Mexico's mobiles live under 521…, older Brazilian
-- accounts under the 8-digit form. jid NULL: the number has no WhatsApp. Checked again after 30 days or a failure.
CREATE TABLE linked_device_addresses (
  phone TEXT PRIMARY KEY,
  jid TEXT,
  checked_at INTEGER NOT NULL,
  stale INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX linked_device_addresses_jid ON linked_device_addresses(jid);

-- When the phone was linked: a new link starts with a smaller daily budget that grows over the first days.
CREATE TABLE linked_device_link (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  linked_at INTEGER NOT NULL
);

-- "Desvincular" pressed while offline: the session is kept until the next connect can log out on WhatsApp.
CREATE TABLE linked_device_unlink (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  requested_at INTEGER NOT NULL
);

-- Things worth a number on screen, e.g. replies held offline for longer than the limit and not acted on.
CREATE TABLE linked_device_counters (
  name TEXT PRIMARY KEY,
  n INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
