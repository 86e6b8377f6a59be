import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs each webhook body with the app secret: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw bytes>.
 * It must be computed over the bytes as received: Meta escapes non-ASCII characters, so re-serialised JSON differs.
 */
export function signatureMatches(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match?.[1] || !appSecret) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
