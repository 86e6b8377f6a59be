// E-mail copies of messages WhatsApp could not deliver: the address they went to (to_phone keeps the number the
// WhatsApp attempt used, so the copy reads as the same message). Evidence export reads a patient's audit events per
// message, hence the index.
export const emailEvidence = `
ALTER TABLE messages ADD COLUMN to_email TEXT;
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id);
`;
