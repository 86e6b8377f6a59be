import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import type { SignatureReportView } from '../../../shared/signing-api';
import { OID } from './cms';
import { timestampTime } from './timestamp';

// "Ver firma": what a signed PDF says about its signatures, read back from the file itself — who signed, when, at
// which PAdES level, and whether the validation data embedded for long-term validation covers every certificate.

/** What "Ver firma" shows: the API contract's type. */
export type SignatureReport = SignatureReportView;
type SignatureEntry = SignatureReport['signatures'][number];

export async function signatureReport(pdf: Uint8Array): Promise<SignatureReport> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fields = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const signatures: SignatureEntry[] = [];
  let lastChain: pkijs.Certificate[] = [];
  for (let i = 0; i < (fields?.size() ?? 0); i += 1) {
    const field = fields?.lookup(i);
    if (!(field instanceof PDFDict) || field.lookup(PDFName.of('FT')) !== PDFName.of('Sig')) continue;
    const value = field.lookupMaybe(PDFName.of('V'), PDFDict);
    if (!value) continue;
    const contents = value.lookup(PDFName.of('Contents'));
    const der = contents instanceof PDFHexString ? Buffer.from(contents.asBytes()) : contents instanceof PDFString ? Buffer.from(contents.asBytes()) : null;
    const subFilter = value.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText() ?? null;
    const isTimestamp = value.lookup(PDFName.of('Type')) === PDFName.of('DocTimeStamp') || subFilter === 'ETSI.RFC3161';
    const name = field.lookup(PDFName.of('T'));
    const m = value.lookup(PDFName.of('M'));
    const parsed = der ? readCms(der) : null;
    signatures.push({
      field: name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '',
      kind: isTimestamp ? 'document_timestamp' : 'signature',
      signer: parsed?.signer ?? null,
      signedAt: m instanceof PDFString || m instanceof PDFHexString ? (pdfDateToIso(m.decodeText()) ?? null) : null,
      timestampedAt: isTimestamp && der ? (safeTime(trimDer(der)) ?? null) : (parsed?.timestampedAt ?? null),
      subFilter,
    });
    if (!isTimestamp && parsed) lastChain = parsed.certificates;
  }

  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const streams = (key: string): Buffer[] =>
    (dss?.lookupMaybe(PDFName.of(key), PDFArray)?.asArray() ?? []).flatMap((ref) => {
      const stream = doc.context.lookup(ref);
      return stream instanceof PDFRawStream ? [Buffer.from(decodePDFRawStream(stream).decode())] : [];
    });
  const certs = streams('Certs');
  const ocsps = streams('OCSPs');
  const crls = streams('CRLs');
  const coveredSerials = new Set(ocsps.flatMap(ocspSerials));
  const crlIssuers = crls.flatMap((c) => {
    try {
      return [pkijs.CertificateRevocationList.fromBER(new Uint8Array(c)).issuer];
    } catch {
      return [];
    }
  });
  const missing = lastChain
    .filter((c) => !c.subject.isEqual(c.issuer))
    .filter((c) => !coveredSerials.has(hex(c.serialNumber.valueBlock.valueHexView)) && !crlIssuers.some((i) => i.isEqual(c.issuer)))
    .map(commonName);

  const last = [...signatures].reverse().find((s) => s.kind === 'signature');
  const lastIndex = last ? signatures.indexOf(last) : -1;
  const hasDss = Boolean(dss) && missing.length === 0 && lastChain.length > 0;
  const docTimestampAfter = signatures.slice(lastIndex + 1).some((s) => s.kind === 'document_timestamp');
  const level: SignatureReport['level'] = !last
    ? null
    : !last.timestampedAt
      ? 'B-B'
      : !hasDss
        ? 'B-T'
        : docTimestampAfter
          ? 'B-LTA'
          : 'B-LT';
  return {
    signatures,
    level,
    validationData: { certificates: certs.length, ocspResponses: ocsps.length, crls: crls.length, complete: hasDss, missing },
  };
}

function readCms(der: Buffer): { signer: string | null; timestampedAt: string | null; certificates: pkijs.Certificate[] } | null {
  try {
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(trimDer(der)));
    const signed = new pkijs.SignedData({ schema: info.content });
    const certificates = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const signerInfo = signed.signerInfos[0];
    const sid = signerInfo?.sid;
    const signerCert =
      sid instanceof pkijs.IssuerAndSerialNumber ? certificates.find((c) => c.serialNumber.isEqual(sid.serialNumber)) : certificates[0];
    const tokenAttr = signerInfo?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken);
    const token = tokenAttr?.values[0] ? Buffer.from(tokenAttr.values[0].toBER()) : null;
    return { signer: signerCert ? commonName(signerCert) : null, timestampedAt: token ? (safeTime(token) ?? null) : null, certificates };
  } catch {
    return null;
  }
}

function ocspSerials(der: Buffer): string[] {
  try {
    const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
    if (!response.responseBytes) return [];
    const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes.response.valueBlock.valueHexView));
    return basic.tbsResponseData.responses.map((r) => hex(r.certID.serialNumber.valueBlock.valueHexView));
  } catch {
    return [];
  }
}

function safeTime(token: Buffer): string | undefined {
  try {
    return timestampTime(token)?.toISOString();
  } catch {
    return undefined;
  }
}

/** /Contents is padded with zeros after the DER: keep the DER element only. */
function trimDer(bytes: Buffer): Buffer {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const n = first & 0x7f;
  return bytes.subarray(0, 2 + n + bytes.readUIntBE(2, n));
}

function commonName(cert: pkijs.Certificate): string {
  const cn = cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : 'certificate';
}

function hex(view: Uint8Array): string {
  return Buffer.from(view).toString('hex').replace(/^0+/, '');
}

/** D:20250305103200-05'00' → ISO. */
function pdfDateToIso(text: string): string | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'(\d{2})'?)?/.exec(text);
  if (!m) return undefined;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[8]}${m[9]}:${m[10]}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
