// messages_created (created_at) served no query: the only one that filters messages by creation time, the evidence
// export, is for one patient and reads messages_patient. Every message written (a bulk plan writes tens of thousands)
// paid for keeping it, and every backup copied and checked it. The queue's two indexes stay: messages_due
// (state, not_before) answers the dispatcher's claim, the next wake-up and the catch-up; messages_urgent
// (state, priority, not_before) answers "is something more urgent due?" and the Mensajes state filter.
export const dropUnusedMessageIndex = `
DROP INDEX IF EXISTS messages_created;
`;
