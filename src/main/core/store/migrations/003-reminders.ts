// Reminder rules per site and service, quiet hours, and planning bookkeeping.
export const reminders = `
SELECT 1;
`;
