import { parsePhoneNumberWithError, ParseError, type CountryCode } from 'libphonenumber-js/max';

export type PhoneProblem = 'empty' | 'invalid' | 'not_mobile';
export type PhoneResult = { ok: true; e164: string } | { ok: false; code: PhoneProblem };

/**
 * Normalises what a receptionist typed into E.164, reading it in the site's country unless it carries its own
 * prefix. WhatsApp needs a mobile: a landline is refused with a reason, never silently dropped.
 */
export function normalisePhone(raw: string | null | undefined, country: string): PhoneResult {
  const text = (raw ?? '').trim();
  if (!text) return fail('empty');
  try {
    const phone = parsePhoneNumberWithError(text, country.toUpperCase() as CountryCode);
    if (!phone.isValid()) return fail('invalid');
    const type = phone.getType();
    // Numbers whose type the metadata cannot tell apart (e.g. FIXED_LINE_OR_MOBILE in Mexico) get the benefit of doubt.
    if (type === 'FIXED_LINE' || type === 'TOLL_FREE' || type === 'PREMIUM_RATE' || type === 'SHARED_COST') {
      return fail('not_mobile');
    }
    return { ok: true, e164: phone.number };
  } catch (error) {
    if (error instanceof ParseError) return fail('invalid');
    throw error;
  }
}

function fail(code: PhoneProblem): PhoneResult {
  return { ok: false, code };
}
