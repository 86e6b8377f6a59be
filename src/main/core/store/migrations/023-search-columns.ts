// Search without a scan per keystroke. Mensajes and Pacientes searched by folding every row's name, document and
// phone with a JavaScript function per row: at a million messages that read and folded every message (~0.4 s).
//
// - patients keep their searchable forms beside the originals (folded name, folded document, document digits, phone
//   digits), written by the store with every insert and update of those fields and filled here for existing rows;
// - message_phones holds each distinct number a message went to with its digits, so a search by phone looks through
//   a few thousand numbers instead of every message, then finds the messages through an index on to_phone. Triggers
//   keep it, so any writer (the outbox, the planner's rewrite of a queued reminder, a bulk load) is covered. The
//   triggers strip the characters a stored number can carry in plain SQL: they must not depend on a function only
//   Avisa's own connections register.
//
// Frozen once shipped: a change needs a new migration.
const digitsSql = (x: string) =>
  `replace(replace(replace(replace(replace(replace(${x}, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')`;

export const searchColumns = `
ALTER TABLE patients ADD COLUMN name_folded TEXT;
ALTER TABLE patients ADD COLUMN document_folded TEXT;
ALTER TABLE patients ADD COLUMN document_digits TEXT;
ALTER TABLE patients ADD COLUMN phone_digits TEXT;
UPDATE patients SET
  name_folded = avisa_fold(first_names || ' ' || last_names),
  document_folded = avisa_fold(document_number),
  document_digits = avisa_digits(document_number),
  phone_digits = trim(IFNULL(avisa_digits(phone_e164), '') || ' ' || IFNULL(avisa_digits(phone_raw), ''));

CREATE TABLE message_phones (
  to_phone TEXT PRIMARY KEY,
  digits TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO message_phones (to_phone, digits) SELECT DISTINCT to_phone, avisa_digits(to_phone) FROM messages;
CREATE INDEX messages_to_phone ON messages(to_phone);

CREATE TRIGGER message_phones_on_insert AFTER INSERT ON messages
BEGIN
  INSERT OR IGNORE INTO message_phones (to_phone, digits) VALUES (NEW.to_phone, ${digitsSql('NEW.to_phone')});
END;
CREATE TRIGGER message_phones_on_update AFTER UPDATE OF to_phone ON messages WHEN NEW.to_phone IS NOT OLD.to_phone
BEGIN
  INSERT OR IGNORE INTO message_phones (to_phone, digits) VALUES (NEW.to_phone, ${digitsSql('NEW.to_phone')});
END;
`;
