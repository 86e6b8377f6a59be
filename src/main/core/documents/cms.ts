import { createHash } from 'node:crypto';
import type { SigningIdentity } from './certificate';
import {
  type Asn1,
  algorithm,
  children,
  explicit,
  fromDer,
  implicitConstructed,
  int,
  octets,
  oid,
  seq,
  setOf,
  toDer,
} from './der';

// A CAdES detached signature (RFC 5652 SignedData + ETSI EN 319 122-1 baseline attributes), the CMS that PAdES puts
// in /Contents. Built by hand because @signpdf's P12Signer (node-forge pkcs7) cannot add signing-certificate-v2 and
// always adds signing-time, which PAdES forbids (the time belongs in the signature dictionary's /M).

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** Given the signature value, returns an RFC 3161 TimeStampToken (a DER ContentInfo) over it. */
export type Timestamper = (signatureValue: Buffer) => Promise<Buffer>;

export async function buildCadesSignature(
  content: Buffer,
  identity: SigningIdentity,
  timestamper?: Timestamper,
): Promise<Buffer> {
  const { certificate, chain } = identity;
  const issuerAndSerial = seq([certificate.issuerNode, certificate.serialNode]);

  const signedAttrs = setOf([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(createHash('sha256').update(content).digest())),
    attribute(OID.signingCertificateV2, signingCertificateV2(identity)),
  ]);
  // The signature covers the attributes encoded as a SET; in SignerInfo they travel under [0] IMPLICIT.
  const isEc = identity.keyType === 'ec';
  const signatureValue = await identity.sign(toDer(signedAttrs));

  const signerInfo: Asn1[] = [
    int(1),
    issuerAndSerial,
    algorithm(OID.sha256),
    implicitConstructed(0, children(signedAttrs)),
    isEc ? algorithm(OID.ecdsaWithSha256) : algorithm(OID.rsaEncryption, true),
    octets(signatureValue),
  ];
  if (timestamper) {
    // B-T: the TSA stamps the signature value, proving the signature existed at that time.
    const token = await timestamper(signatureValue);
    signerInfo.push(implicitConstructed(1, children(setOf([attribute(OID.signatureTimeStampToken, rawDer(token))]))));
  }

  const signedData = seq([
    int(1),
    setOf([algorithm(OID.sha256)]),
    seq([oid(OID.data)]), // detached: no eContent, the PDF byte ranges are the content
    implicitConstructed(0, [certificate, ...chain].map((c) => rawDer(c.der))),
    setOf([seq(signerInfo)]),
  ]);
  return toDer(seq([oid(OID.signedData), explicit(0, signedData)]));
}

/**
 * ESS signing-certificate-v2 (RFC 5035): binds the signer's certificate into what is signed, so it cannot be swapped
 * for another certificate with the same key. SHA-256 is the default hash algorithm and so is left out (DER).
 */
function signingCertificateV2({ certificate }: SigningIdentity): Asn1 {
  const issuerSerial = seq([seq([explicit(4, certificate.issuerNode)]), certificate.serialNode]);
  const essCertIdV2 = seq([octets(certificate.sha256), issuerSerial]);
  return seq([seq([essCertIdV2])]);
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), setOf([value])]);
}

// Re-parsing keeps embedded structures (certificates, the TSA token) byte for byte: they are signed by others.
function rawDer(der: Buffer): Asn1 {
  return fromDer(der);
}
