// A document signed at a lower level than the clinic asked for (the TSA did not answer, so no timestamp): the
// reason, in the receptionist's language, shown on the result beside the level it reached.
export const signatureWarning = `
ALTER TABLE results ADD COLUMN signature_warning TEXT;
`;
