import { X509Certificate, createHash } from 'node:crypto';
import { type Asn1, child, children, contentBytes, fromDer, isContext, readOid, readString, readTime } from './der';

// What Avisa needs from an X.509 certificate, read straight from its DER. Node's X509Certificate does the key checks;
// this reads what it does not expose (key usage bits, names as Unicode, exact issuer/serial encodings for the CMS).

export interface NameAttribute {
  type: string; // short name (CN, O, …) or the dotted OID when unknown
  value: string;
}

export interface ParsedCertificate {
  der: Buffer;
  x509: X509Certificate;
  serialHex: string;
  serialNode: Asn1;
  issuerNode: Asn1;
  subject: NameAttribute[];
  issuer: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  /** null when the certificate has no keyUsage extension (then any use is allowed). */
  keyUsage: { digitalSignature: boolean; nonRepudiation: boolean } | null;
  sha256: Buffer;
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const KEY_USAGE = '2.5.29.15';

export function parseCertificate(der: Buffer): ParsedCertificate {
  const x509 = new X509Certificate(der);
  const tbs = child(fromDer(der), 0);
  // version [0] is optional: v1 certificates start with the serial number.
  const fields = children(tbs);
  const offset = isContext(fields[0], 0) ? 1 : 0;
  const serialNode = fields[offset];
  const issuerNode = fields[offset + 2];
  const validity = fields[offset + 3];
  const subjectNode = fields[offset + 4];
  const notBefore = readTime(child(validity, 0));
  const notAfter = readTime(child(validity, 1));
  if (!serialNode || !issuerNode || !subjectNode || !notBefore || !notAfter) {
    throw new Error('certificate structure not understood');
  }
  const extensions = fields.find((f) => isContext(f, 3));
  return {
    der,
    x509,
    serialHex: contentBytes(serialNode).toString('hex').replace(/^(00)+(?=.)/, '').toUpperCase(),
    serialNode,
    issuerNode,
    subject: readName(subjectNode),
    issuer: readName(issuerNode),
    notBefore,
    notAfter,
    keyUsage: readKeyUsage(child(extensions, 0)),
    sha256: createHash('sha256').update(der).digest(),
  };
}

function readName(name: Asn1): NameAttribute[] {
  return children(name).flatMap((rdn) =>
    children(rdn).map((atv) => {
      const dotted = readOid(child(atv, 0)) ?? '?';
      return { type: NAMES[dotted] ?? dotted, value: readString(child(atv, 1)) };
    }),
  );
}

function readKeyUsage(extensions: Asn1 | undefined): ParsedCertificate['keyUsage'] {
  for (const ext of children(extensions)) {
    if (readOid(child(ext, 0)) !== KEY_USAGE) continue;
    const parts = children(ext);
    const wrapped = parts[parts.length - 1]; // OCTET STRING after the optional critical flag
    const bits = contentBytes(fromDer(contentBytes(wrapped)));
    // BIT STRING content: first byte = unused bits; then bit 0 (0x80) digitalSignature, bit 1 (0x40) nonRepudiation.
    const first = bits[1] ?? 0;
    return { digitalSignature: (first & 0x80) !== 0, nonRepudiation: (first & 0x40) !== 0 };
  }
  return null;
}

/** The value of the first attribute of a type, e.g. the CN. */
export function nameValue(name: NameAttribute[], type: string): string | undefined {
  return name.find((a) => a.type === type)?.value;
}

/** RFC 4514 order (most specific first), for display. */
export function formatName(name: NameAttribute[]): string {
  return [...name]
    .reverse()
    .map((a) => `${a.type}=${a.value}`)
    .join(', ');
}
