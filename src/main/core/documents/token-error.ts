import type { Reason } from './texts';

/** Why a token or smart card did not sign; its own file so the signer can recognise it without loading the driver. */
export type TokenErrorCode = 'token_module' | 'token_missing' | 'wrong_pin' | 'pin_locked' | 'no_token_key' | 'token_error';

export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    readonly reason: Reason,
    detail: string,
  ) {
    super(detail);
  }
}
