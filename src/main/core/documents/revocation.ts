import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { Class, Type, child, children, fromDer, isContext, toDer } from './der';
import type { RevocationCache } from './revocation-cache';

// Revocation data for long-term validation (PAdES B-LT): for every certificate of the signer's chain, an OCSP response
// from the responder its Authority Information Access names, else the CRL its CRL Distribution Points name. Each answer
// is checked (the responder's or the CRL's signature against the issuer, and what it says about our certificate) before
// it is embedded; a revoked certificate stops the signature.

const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_CDP = '2.5.29.31';
const OID_BASIC_OCSP = '1.3.6.1.5.5.7.48.1.1';
const URI = 6;

export interface RevocationData {
  /** DER OCSPResponse, as the DSS /OCSPs streams hold them. */
  ocsps: Buffer[];
  /** DER CertificateList. */
  crls: Buffer[];
}

export type RevocationResult =
  | { ok: true; data: RevocationData; /** Certificates no source could be found for (none: complete). */ unchecked: string[] }
  | { ok: false; code: 'revoked'; subject: string; detail: string }
  | { ok: false; code: 'revocation_unavailable'; subject: string; detail: string };

/**
 * `chain` holds DER certificates, the signer first; roots (self-signed) need no revocation data. Every non-root
 * certificate must find its issuer in `chain`.
 */
export async function collectRevocation(
  chain: Buffer[],
  o: { now: Date; timeoutMs?: number; cache?: RevocationCache },
): Promise<RevocationResult> {
  const prints = new Map<pkijs.Certificate, string>();
  const certs = chain.map((der) => {
    const print = createHash('sha256').update(der).digest('hex');
    const cert = parsedCertificate(der, print);
    prints.set(cert, print);
    return cert;
  });
  const at = o.now.getTime();
  const data: RevocationData = { ocsps: [], crls: [] };
  const unchecked: string[] = [];
  for (const cert of certs) {
    if (selfIssued(cert)) continue;
    const subject = commonName(cert);
    const issuer = certs.find((c) => c !== cert && c.subject.isEqual(cert.issuer));
    if (!issuer) return { ok: false, code: 'revocation_unavailable', subject, detail: 'issuer certificate not in the chain' };
    const ocspUrls = urlsOf(cert, 'ocsp');
    const crlUrls = urlsOf(cert, 'crl');
    if (!ocspUrls.length && !crlUrls.length) {
      unchecked.push(subject);
      continue;
    }
    const problems: string[] = [];
    const ocspKey = `ocsp:${prints.get(cert)}`;
    const keptOcsp = o.cache?.get(ocspKey, at);
    let done = false;
    if (keptOcsp) {
      data.ocsps.push(keptOcsp.der);
      done = true;
    }
    for (const url of done ? [] : ocspUrls) {
      try {
        const answer = await askOcsp(url, cert, issuer, o.timeoutMs ?? 10_000);
        if (answer.status === 'revoked') return { ok: false, code: 'revoked', subject, detail: `OCSP ${url}` };
        if (answer.status === 'good') {
          data.ocsps.push(answer.der);
          o.cache?.keep(ocspKey, answer.der, answer.nextUpdate, at);
          done = true;
          break;
        }
        problems.push(`OCSP ${url}: unknown certificate`);
      } catch (err) {
        problems.push(`OCSP ${url}: ${message(err)}`);
      }
    }
    for (const url of done ? [] : crlUrls) {
      try {
        // A CRL lists every revoked certificate of its issuer: one kept copy answers for all of them until nextUpdate.
        const crlKey = `crl:${url}:${prints.get(issuer)}`;
        const kept = o.cache?.get(crlKey, at);
        const crl = kept
          ? { list: pkijs.CertificateRevocationList.fromBER(new Uint8Array(kept.der)), der: kept.der }
          : await fetchCrl(url, issuer, o.timeoutMs ?? 10_000);
        if (!kept) o.cache?.keep(crlKey, crl.der, crl.list.nextUpdate?.value, at);
        if (crl.list.isCertificateRevoked(cert)) return { ok: false, code: 'revoked', subject, detail: `CRL ${url}` };
        data.crls.push(crl.der);
        done = true;
        break;
      } catch (err) {
        problems.push(`CRL ${url}: ${message(err)}`);
      }
    }
    if (!done) return { ok: false, code: 'revocation_unavailable', subject, detail: problems.join('; ') };
  }
  return { ok: true, data, unchecked };
}

/**
 * The same few certificates (the signer's chain, the TSA's) come back with every document, and decoding one with pkijs
 * costs milliseconds: decoded ones are kept by their SHA-256, a handful at most. They are only read, never changed.
 */
const decoded = new Map<string, pkijs.Certificate>();
const DECODED_LIMIT = 64;

function parsedCertificate(der: Buffer, print: string): pkijs.Certificate {
  const known = decoded.get(print);
  if (known) return known;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  if (decoded.size >= DECODED_LIMIT) decoded.clear();
  decoded.set(print, cert);
  return cert;
}

async function askOcsp(
  url: string,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  timeoutMs: number,
): Promise<{ status: 'good' | 'revoked' | 'unknown'; der: Buffer; nextUpdate: Date | undefined }> {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(cert, { hashAlgorithm: 'SHA-256', issuerCertificate: issuer });
  const body = Buffer.from(request.toSchema(true).toBER());
  const der = await post(url, body, 'application/ocsp-request', timeoutMs);
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new Error(`responder status ${status}`);
  if (!response.responseBytes || response.responseBytes.responseType !== OID_BASIC_OCSP) throw new Error('not a basic OCSP response');
  const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes.response.valueBlock.valueHexView));
  // The answer counts only when the issuer (or a responder it delegated to) signed it.
  if (!(await basic.verify({ trustedCerts: [issuer] }))) throw new Error('the response signature does not verify');
  const { isForCertificate, status: certStatus } = await basic.getCertificateStatus(cert, issuer);
  if (!isForCertificate) throw new Error('the response is about another certificate');
  return { status: certStatus === 0 ? 'good' : certStatus === 1 ? 'revoked' : 'unknown', der, nextUpdate: earliestNextUpdate(basic) };
}

/** The response holds until the earliest nextUpdate of its answers; undefined when any answer gives none. */
function earliestNextUpdate(basic: pkijs.BasicOCSPResponse): Date | undefined {
  let earliest: Date | undefined;
  for (const single of basic.tbsResponseData.responses) {
    if (!single.nextUpdate) return undefined;
    if (!earliest || single.nextUpdate < earliest) earliest = single.nextUpdate;
  }
  return earliest;
}

async function fetchCrl(url: string, issuer: pkijs.Certificate, timeoutMs: number): Promise<{ list: pkijs.CertificateRevocationList; der: Buffer }> {
  let der = await get(url, timeoutMs);
  const text = der.subarray(0, 64).toString('latin1');
  if (text.includes('-----BEGIN X509 CRL-----')) {
    der = Buffer.from(der.toString('latin1').replace(/-----(BEGIN|END) X509 CRL-----|\s/g, ''), 'base64');
  }
  const list = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  if (!(await list.verify({ issuerCertificate: issuer }))) throw new Error('the CRL signature does not verify');
  return { list, der };
}

async function post(url: string, body: Buffer, type: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': type },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function get(url: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

function urlsOf(cert: pkijs.Certificate, kind: 'ocsp' | 'crl'): string[] {
  const out: string[] = [];
  for (const ext of cert.extensions ?? []) {
    if (kind === 'ocsp' && ext.extnID === OID_AIA && ext.parsedValue instanceof pkijs.InfoAccess) {
      for (const d of ext.parsedValue.accessDescriptions) {
        if (d.accessMethod === OID_OCSP && d.accessLocation.type === URI) out.push(String(d.accessLocation.value));
      }
    }
    if (kind === 'crl' && ext.extnID === OID_CDP && ext.parsedValue instanceof pkijs.CRLDistributionPoints) {
      for (const point of ext.parsedValue.distributionPoints) {
        const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
        for (const name of names) if (name.type === URI) out.push(String(name.value));
      }
    }
  }
  return out.filter((u) => /^https?:\/\//i.test(u));
}

function selfIssued(cert: pkijs.Certificate): boolean {
  return cert.subject.isEqual(cert.issuer);
}

function commonName(cert: pkijs.Certificate): string {
  const cn = cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : 'certificate';
}

/**
 * The certificates a CMS SignedData carries (e.g. a TSA token's chain), DER. Read with the plain DER walker: only the
 * [0] certificates set is wanted, and decoding the whole structure with pkijs cost more than the signature itself.
 */
export function certificatesOfSignedData(contentInfo: Buffer): Buffer[] {
  const signedData = child(child(fromDer(contentInfo), 1), 0);
  const set = children(signedData).find((part) => isContext(part, 0));
  // Other choices of the set (attribute certificates, tagged [1]…[3]) are not X.509 certificates.
  return children(set)
    .filter((node) => node.tagClass === Class.UNIVERSAL && node.type === Type.SEQUENCE)
    .map((node) => toDer(node));
}

/** The VRI key of a signature: SHA-1 of its /Contents bytes, upper-case hex. */
export function vriKey(contents: Buffer): string {
  return createHash('sha1').update(contents).digest('hex').toUpperCase();
}

function message(err: unknown): string {
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
  return String(err);
}
