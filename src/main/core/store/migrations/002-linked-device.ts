// Linked-device (Baileys) auth state, LID ↔ phone map and sending budget.
export const linkedDevice = `
-- The Baileys session: credentials (kind 'creds') and signal keys (kind = key type: pre-key, session, …). Values are
-- AES-256-GCM under a data key that the SecretBox wraps; ids are HMACs under the same key, so the file does not even
-- tell which contacts have sessions. Credentials and keys change together, in one transaction.
CREATE TABLE linked_device_auth (
  kind TEXT NOT NULL,
  id_mac BLOB NOT NULL,
  value BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id_mac)
) WITHOUT ROWID;

-- The data key of the session, encrypted by the SecretBox (safeStorage on the desktop, the key file in server mode).
CREATE TABLE linked_device_keyring (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  wrapped_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

-- WhatsApp addresses many chats by @lid ids: every event that shows both ids feeds this map, so replies match patients.
CREATE TABLE linked_device_lids (
  lid TEXT PRIMARY KEY,
  phone TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX linked_device_lids_phone ON linked_device_lids(phone);

-- People who wrote to the clinic's phone: messages to anyone else are first contacts, capped per day (ban risk).
CREATE TABLE linked_device_contacts (
  phone TEXT PRIMARY KEY,
  first_inbound_at INTEGER NOT NULL,
  last_inbound_at INTEGER NOT NULL
);

-- Every message handed to the socket, written before the send: its WhatsApp id is derived from ours, so a status that
-- arrives after a crash still finds the message, and WhatsApp's retry requests get the same content back.
CREATE TABLE linked_device_sent (
  provider_id TEXT PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  phone TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '[]',
  content BLOB,
  sent_at INTEGER NOT NULL
);
CREATE INDEX linked_device_sent_message ON linked_device_sent(message_id);

-- Replies from an @lid whose phone is not known yet: kept until a mapping arrives, never dropped.
CREATE TABLE linked_device_pending_inbound (
  provider_message_id TEXT PRIMARY KEY,
  lid TEXT NOT NULL,
  body TEXT NOT NULL,
  payload TEXT,
  in_reply_to TEXT,
  received_at INTEGER NOT NULL
);
CREATE INDEX linked_device_pending_inbound_lid ON linked_device_pending_inbound(lid);

-- Sends per local day of the clinic, and how many of them went to people who never wrote.
CREATE TABLE linked_device_days (
  day TEXT PRIMARY KEY,
  sent INTEGER NOT NULL DEFAULT 0,
  first_contacts INTEGER NOT NULL DEFAULT 0
);

-- Recent failures reported by WhatsApp (e.g. 463): a spike pauses sending before the number is banned.
CREATE TABLE linked_device_failures (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  code TEXT NOT NULL,
  provider_id TEXT
);
CREATE INDEX linked_device_failures_at ON linked_device_failures(at);

-- Why sending through the phone is paused (survives a restart); until is set when WhatsApp said when it ends.
CREATE TABLE linked_device_pause (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL,
  detail TEXT,
  since INTEGER NOT NULL,
  until INTEGER
);
`;
