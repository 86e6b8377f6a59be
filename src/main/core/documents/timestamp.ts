import { createHash, randomBytes } from 'node:crypto';
import type { Timestamper } from './cms';
import { OID } from './cms';
import {
  type Asn1,
  Class,
  Type,
  algorithm,
  bool,
  child,
  children,
  contentBytes,
  fromDer,
  int,
  isContext,
  octets,
  readOid,
  readTime,
  seq,
  toDer,
  uint,
} from './der';

// RFC 3161 client: asks a Time Stamping Authority to stamp the signature value (PAdES B-T). The reply is checked
// against what we asked (status, hash, nonce); the TSA's own signature is for validators to judge with their trust lists.

const TST_INFO = '1.2.840.113549.1.9.16.1.4';

export class TimestampError extends Error {}

export interface TsaOptions {
  url: string;
  timeoutMs?: number;
}

export function rfc3161Timestamper({ url, timeoutMs = 15_000 }: TsaOptions): Timestamper {
  return async (signatureValue) => {
    const digest = createHash('sha256').update(signatureValue).digest();
    const nonce = randomBytes(8);
    const request = toDer(
      seq([int(1), seq([algorithm(OID.sha256, true), octets(digest)]), uint(nonce), bool(true)]),
    );
    let body: Buffer;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query' },
        body: new Uint8Array(request),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new TimestampError(`HTTP ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (err instanceof TimestampError) throw err;
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new TimestampError(`${err instanceof Error ? err.message : String(err)}${cause}`);
    }
    return checkReply(body, digest, nonce);
  };
}

/** Returns the TimeStampToken from a TimeStampResp after checking it answers our request. */
export function checkReply(reply: Buffer, digest: Buffer, nonce: Buffer): Buffer {
  let resp: Asn1;
  try {
    resp = fromDer(reply);
  } catch {
    throw new TimestampError('the reply is not a timestamp response');
  }
  const statusBytes = contentBytes(child(child(resp, 0), 0));
  const status = statusBytes.length === 1 ? (statusBytes[0] ?? 2) : 2;
  // 0 granted, 1 grantedWithMods; anything else is a refusal.
  if (status > 1) throw new TimestampError(`the TSA refused the request (status ${status})`);
  const token = child(resp, 1);
  if (!token) throw new TimestampError('the reply carries no token');
  const tstInfo = readTstInfo(token);
  const imprint = child(tstInfo, 2);
  if (readOid(child(child(imprint, 0), 0)) !== OID.sha256 || !contentBytes(child(imprint, 1)).equals(digest)) {
    throw new TimestampError('the token stamps a different hash');
  }
  const isInteger = (n: Asn1): boolean => n.tagClass === Class.UNIVERSAL && n.type === Type.INTEGER;
  const replyNonce = children(tstInfo).find((n, i) => i > 4 && isInteger(n));
  if (!replyNonce || !stripZeros(contentBytes(replyNonce)).equals(stripZeros(nonce))) {
    throw new TimestampError('the token does not answer our nonce');
  }
  return toDer(token);
}

/** The TSA's time (genTime) of a token, e.g. for the audit trail. */
export function timestampTime(token: Buffer): Date | undefined {
  return readTime(child(readTstInfo(fromDer(token)), 4));
}

function readTstInfo(token: Asn1): Asn1 {
  // ContentInfo → [0] SignedData → encapContentInfo → [0] OCTET STRING(TSTInfo)
  const signedData = child(child(token, 1), 0);
  const encap = children(signedData).find((n) => n.type === Type.SEQUENCE && readOid(child(n, 0)) === TST_INFO);
  const wrapped = child(encap, 1);
  if (readOid(child(token, 0)) !== OID.signedData || !encap || !isContext(wrapped, 0)) {
    throw new TimestampError('the token is not a TSTInfo SignedData');
  }
  return fromDer(contentBytes(child(wrapped, 0)));
}

function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}
