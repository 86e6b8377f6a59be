/** A refusal a person can act on: its code goes to the caller, its message (in the clinic's language) to the screen. */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
