import { DisconnectReason } from '@whiskeysockets/baileys';

/** What to do when the socket closed, decided by Baileys' close reason only. */
export type CloseAction =
  /** 401: the phone removed this device. The only reason that ends a session: clear it and ask to link again. */
  | { kind: 'logged_out' }
  /** 440: another client with these credentials took over. Reconnecting would fight it: stop, alert, let a person decide. */
  | { kind: 'replaced' }
  /** No QR was scanned before WhatsApp stopped offering new ones: wait until someone opens the linking screen again. */
  | { kind: 'qr_expired' }
  /** 405: WhatsApp refuses this client version. Retrying with the same one loops forever: stop and say so. */
  | { kind: 'update_required' }
  /** 402 / 403 / 406: WhatsApp restricted or closed the account. Reconnecting cannot help and may make it worse. */
  | { kind: 'account_restricted'; code: number }
  /** A close while a pairing was half done: those credentials can only log in to nothing (401). Start over. */
  | { kind: 'pairing_interrupted' }
  /** Anything else is transient, however it looks: reconnect (at once after pairing's 515, otherwise with backoff). */
  | { kind: 'reconnect'; immediate: boolean };

/** The status code Baileys puts on a close (a Boom's output.statusCode); undefined for a plain error. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('output' in error)) return undefined;
  const output: unknown = error.output;
  if (typeof output !== 'object' || output === null || !('statusCode' in output)) return undefined;
  return typeof output.statusCode === 'number' ? output.statusCode : undefined;
}

/** WhatsApp's connection-failure reasons Baileys passes through as they come (CB:failure's `reason`). */
export const TEMPORARILY_BANNED = 402;
export const CLIENT_OUTDATED = 405;
export const UNKNOWN_LOGOUT = 406;

/**
 * `linked`: the session has a link; `qrShown`: this socket offered QR codes before it closed; `pairing`: a pairing
 * code was asked for and no link came of it yet; `justPaired`: this socket saw the pairing succeed.
 */
export function closeAction(
  code: number | undefined,
  at: { linked: boolean; qrShown: boolean; pairing?: boolean; justPaired?: boolean },
): CloseAction {
  if (code === CLIENT_OUTDATED) return { kind: 'update_required' };
  if (code === TEMPORARILY_BANNED || code === DisconnectReason.forbidden || code === UNKNOWN_LOGOUT) {
    return { kind: 'account_restricted', code };
  }
  if (!at.linked && at.pairing && code !== DisconnectReason.restartRequired) return { kind: 'pairing_interrupted' };
  switch (code) {
    case DisconnectReason.loggedOut:
      return { kind: 'logged_out' };
    case DisconnectReason.connectionReplaced:
      return { kind: 'replaced' };
    case DisconnectReason.restartRequired:
      // Normal right after pairing: WhatsApp asks for a fresh connection with the new credentials. At any other
      // time a 515 that repeats must not become a tight loop.
      return { kind: 'reconnect', immediate: at.justPaired === true };
    case DisconnectReason.timedOut:
      // Same code as connectionLost (408): the QR codes ran out only if some were shown and no link came of them.
      return !at.linked && at.qrShown ? { kind: 'qr_expired' } : { kind: 'reconnect', immediate: false };
    default:
      // connectionClosed 428, badSession 500, unavailableService 503, multideviceMismatch 411, no code:
      // none of them proves the link is gone, and peers lost sessions by treating them as if it were.
      return { kind: 'reconnect', immediate: false };
  }
}

/** Exponential with jitter, capped: a network outage does not become a storm of reconnects. attempt is 1-based. */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 300_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Names for the UI and the log, e.g. "connectionLost (408)". */
export function closeReasonName(code: number | undefined): string {
  if (code === undefined) return 'unknown';
  const extra: Record<number, string> = { [TEMPORARILY_BANNED]: 'temporarilyBanned', [CLIENT_OUTDATED]: 'clientOutdated', [UNKNOWN_LOGOUT]: 'unknownLogout' };
  const name = code === DisconnectReason.timedOut ? 'timedOut' : (extra[code] ?? DisconnectReason[code]);
  return `${name ?? 'unknown'} (${code})`;
}
