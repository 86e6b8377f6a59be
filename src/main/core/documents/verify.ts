import { X509Certificate, createHash, verify } from 'node:crypto';
import { OID } from './cms';
import {
  type Asn1,
  Class,
  Type,
  child,
  children,
  contentBytes,
  derElementLength,
  fromDer,
  isContext,
  readOid,
  toDer,
} from './der';

// A self-check of the signature just made (invariant 6: signed means valid), and a check the caller can run again on a
// stored file before sending it. It is not a validator of trust (no chain, no revocation): pdfsig, Adobe and the
// national validators do that; this catches a broken or modified file and our own mistakes, in well under 1 ms.

export type SignatureCheck =
  | { ok: true; signer: X509Certificate; byteRange: [number, number, number, number] }
  | { ok: false; detail: string };

export function checkLastSignature(pdf: Buffer): SignatureCheck {
  // Only the newest signature matters here; read around the last /ByteRange instead of decoding the whole file.
  const at = pdf.lastIndexOf('/ByteRange');
  const near = at < 0 ? '' : pdf.subarray(at, at + 80).toString('latin1');
  const last = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(near);
  if (!last) return { ok: false, detail: 'no signature' };
  const [a, b, c, d] = [1, 2, 3, 4].map((i) => Number(last[i])) as [number, number, number, number];
  if (a !== 0 || b >= c || c + d !== pdf.length) {
    return { ok: false, detail: 'the last signature does not cover the whole file' };
  }
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { ok: false, detail: 'the byte range does not frame /Contents' };

  try {
    const raw = Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
    const cms = fromDer(raw.subarray(0, derElementLength(raw)));
    if (readOid(child(cms, 0)) !== OID.signedData) return { ok: false, detail: 'not a CMS SignedData' };
    const signedData = child(child(cms, 1), 0);
    const parts = children(signedData);
    const certs = children(parts.find((p) => isContext(p, 0))).map((node) => new X509Certificate(toDer(node)));
    const signerInfo = child(parts[parts.length - 1], 0);
    const fields = children(signerInfo);
    const sid = fields[1];
    const signedAttrs = fields.find((f) => isContext(f, 0));
    const isOctets = (f: Asn1): boolean => f.tagClass === Class.UNIVERSAL && f.type === Type.OCTETSTRING;
    const signature = contentBytes(fields.find((f, i) => i > 3 && isOctets(f)));
    if (!sid || !signedAttrs) return { ok: false, detail: 'the signer info has no signed attributes' };

    const serial = contentBytes(child(sid, 1)).toString('hex').replace(/^0+/, '').toUpperCase();
    const signer = certs.find((cert) => cert.serialNumber.replace(/^0+/, '').toUpperCase() === serial);
    if (!signer) return { ok: false, detail: 'the signer certificate is not embedded' };

    const digest = children(signedAttrs).find((attr) => readOid(child(attr, 0)) === OID.messageDigest);
    const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    if (!contentBytes(child(child(digest, 1), 0)).equals(createHash('sha256').update(content).digest())) {
      return { ok: false, detail: 'the document digest does not match' };
    }
    // What was signed is the attributes encoded as a SET, not under their [0] tag.
    const asSet = toDer(signedAttrs);
    asSet[0] = 0x31;
    if (!verify('sha256', asSet, signer.publicKey, signature)) {
      return { ok: false, detail: 'the signature value does not verify' };
    }
    return { ok: true, signer, byteRange: [a, b, c, d] };
  } catch (err) {
    return { ok: false, detail: `unreadable signature (${err instanceof Error ? err.message : String(err)})` };
  }
}
