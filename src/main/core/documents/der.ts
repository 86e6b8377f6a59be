import forge from 'node-forge';

// Thin helpers over node-forge's ASN.1 so the CMS, timestamp and certificate code read like the ASN.1 they build.
// forge works on "binary strings" (one char per byte); everything here converts at the edge to Buffer.

export type Asn1 = forge.asn1.Asn1;

const { Class, Type } = forge.asn1;

export function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

// forge's runtime takes an options object; its typings only show the older boolean form.
const fromDerWithOptions = forge.asn1.fromDer as unknown as (
  bytes: string,
  options: { strict: boolean; decodeBitStrings: boolean },
) => Asn1;

export function fromDer(der: Uint8Array): Asn1 {
  // Strict: a certificate or a TSA reply with trailing garbage is not one we should trust. BIT STRINGs stay opaque so
  // that re-encoding a parsed node gives back exactly the bytes that were read.
  return fromDerWithOptions(Buffer.from(der).toString('binary'), { strict: true, decodeBitStrings: false });
}

export function seq(items: Asn1[]): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

/** A DER SET OF: members sorted by their encodings, as DER requires (validators re-encode signed attributes). */
export function setOf(items: Asn1[]): Asn1 {
  const sorted = items
    .map((item) => ({ item, der: toDer(item) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ item }) => item);
  return forge.asn1.create(Class.UNIVERSAL, Type.SET, true, sorted);
}

export function oid(dotted: string): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(dotted).getBytes());
}

export function octets(bytes: Uint8Array): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, Buffer.from(bytes).toString('binary'));
}

export function int(n: number): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());
}

/** A positive INTEGER from big-endian bytes (a leading zero keeps it positive). */
export function uint(bytes: Uint8Array): Asn1 {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = Buffer.from(bytes.subarray(start));
  const value = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, value.toString('binary'));
}

export function bool(value: boolean): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, value ? '\xff' : '\x00');
}

export function nullValue(): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
}

/** [n] EXPLICIT wrapper. */
export function explicit(tag: number, inner: Asn1): Asn1 {
  return forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [inner]);
}

/** [n] IMPLICIT on a constructed value: same children, the context tag replaces SEQUENCE/SET. */
export function implicitConstructed(tag: number, items: Asn1[]): Asn1 {
  return forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, true, items);
}

export function algorithm(dotted: string, withNullParams = false): Asn1 {
  return seq(withNullParams ? [oid(dotted), nullValue()] : [oid(dotted)]);
}

// ---- reading ----

export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

export function child(node: Asn1 | undefined, index: number): Asn1 | undefined {
  return children(node)[index];
}

/** The raw content bytes of a primitive node (re-encoded when forge decoded an inner structure). */
export function contentBytes(node: Asn1 | undefined): Buffer {
  if (!node) return Buffer.alloc(0);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map(toDer));
}

export function readOid(node: Asn1 | undefined): string | undefined {
  if (!node || node.tagClass !== Class.UNIVERSAL || node.type !== Type.OID || typeof node.value !== 'string') {
    return undefined;
  }
  return forge.asn1.derToOid(node.value);
}

export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

export function readTime(node: Asn1 | undefined): Date | undefined {
  if (!node || typeof node.value !== 'string') return undefined;
  if (node.type === Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
  if (node.type === Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  return undefined;
}

/** A directory string value as text, whatever string type the issuer chose. */
export function readString(node: Asn1 | undefined): string {
  const bytes = contentBytes(node);
  switch (node?.type as number | undefined) {
    case Type.BMPSTRING:
      return bytes.length % 2 === 0 ? bytes.swap16().toString('utf16le') : bytes.toString('latin1');
    case 28: // UniversalString (UCS-4): rare, but some national CAs still emit it
      return Array.from({ length: bytes.length / 4 }, (_, i) => String.fromCodePoint(bytes.readUInt32BE(i * 4))).join(
        '',
      );
    case Type.UTF8:
      return bytes.toString('utf8');
    default:
      // PrintableString, IA5String, T61String: ASCII in practice; latin1 keeps any stray byte visible.
      return bytes.toString('latin1');
  }
}

export { Class, Type };

/** Length of the DER element at the start of `bytes` (a /Contents value is zero-padded after it). */
export function derElementLength(bytes: Buffer): number {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) throw new Error('not a DER element');
  return 2 + n + bytes.readUIntBE(2, n);
}
