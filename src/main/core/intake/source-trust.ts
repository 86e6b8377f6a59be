import type { IncomingResult } from './incoming-result';

/**
 * One rule for results that arrive from another system (HL7, the clinic's database): a source says "approved", but
 * nothing proves who wrote that row or message. Unless the clinic declared the source trusted, the result waits in
 * Por revisar for a person's approval (and, where its kind needs it, a professional's validation) before it is signed
 * and sent.
 */
export function heldUnlessTrusted(incoming: IncomingResult, trusted: boolean): IncomingResult {
  return trusted ? incoming : { ...incoming, approved: false };
}
