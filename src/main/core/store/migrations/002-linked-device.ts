// Linked-device (Baileys) auth state, LID ↔ phone map and sending budget.
export const linkedDevice = `
SELECT 1;
`;
