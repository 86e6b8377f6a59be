// "Is something more urgent due?" is asked before every send while a batch goes out (a reminder during a campaign).
// On messages_due (state, not_before, …) it reads every due row, so a large queue made each send slower; by priority
// first it reads only the more urgent ones, which are few.
export const urgentIndex = `
CREATE INDEX messages_urgent ON messages(state, priority, not_before);
`;
