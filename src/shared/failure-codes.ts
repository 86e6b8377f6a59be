/**
 * Failure codes that mean the number itself cannot take WhatsApp (not on WhatsApp, the clinic's own number, a linked
 * phone's "not registered"): another try to the same number fails the same way, so the fix is the patient's mobile.
 */
export const RECIPIENT_FAILURE_CODES: ReadonlySet<string> = new Set(['131026', '131021', '463', 'not_on_whatsapp', 'bad_phone']);
