// "Which failures has nobody resent yet?" is asked for the header's failure count on every status refresh: each
// failed message looks for a newer row that resends it, which without this index reads the whole messages table.
export const resendIndex = `
CREATE INDEX IF NOT EXISTS messages_resend_of ON messages(resend_of) WHERE resend_of IS NOT NULL;
`;
