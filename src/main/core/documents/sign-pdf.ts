import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { DateTime } from 'luxon';
import type { Language } from '../../../shared/domain';
import { type CertificateInfo, type SigningIdentity, checkCertificate, loadCertificate } from './certificate';
import { type Timestamper, buildCadesSignature } from './cms';
import { sha256Hex } from '../hash';
import type { PDFPage } from 'pdf-lib';
import { drawnBoxes } from './page-content';
import { certificatesOfSignedData, collectRevocation, vriKey } from './revocation';
import type { RevocationCache } from './revocation-cache';
import { type LoadedPdf, addSignaturePage, annotationBoxes, appendDss, appendSignatureField, openPdf } from './pdf-update';
import { type StampPlacement, buildStampAppearance, stampRect, verificationCode } from './stamp';
import { findFreeStampRect } from './stamp-placement';
import { type Reason, type SignErrorCode, signReasons } from './texts';
import { TokenError } from './token-error';
import { TimestampError, rfc3161Timestamper, timestampTime } from './timestamp';
import { checkLastSignature } from './verify';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/**
 * The site's PKCS#12 (.p12/.pfx) bytes and its password, or an identity loaded once with loadCertificate (opening a
 * PKCS#12 costs tens of milliseconds; a batch should not pay it per document). Either way it is checked at `now`.
 */
export type SigningCredentials =
  | { p12: Uint8Array; password: string; identity?: undefined }
  | { identity: SigningIdentity; p12?: undefined; password?: undefined };

export type SignPdfOptions = SigningCredentials & SignSettings;

export interface SignSettings {
  reason: string;
  location: string;
  /** Shown on the stamp and in /Name; defaults to the certificate's CN. */
  signerName?: string;
  contactInfo?: string;
  /** IANA zone of the site, e.g. "America/Lima": the stamp and /M show local time with its offset. */
  timeZone: string;
  /** RFC 3161 Time Stamping Authority: with it the signature reaches PAdES B-T. */
  tsaUrl?: string;
  tsaTimeoutMs?: number;
  /** When the TSA fails: false (default) refuses to sign; true signs at B-B and says so in `warnings`. */
  tsaOptional?: boolean;
  /**
   * With a TSA: B-T (default), B-LT (certificates, OCSP responses and CRLs in a DSS) or B-LTA (B-LT plus a document
   * timestamp). Without a TSA the signature stays B-B.
   */
  level?: 'B-T' | 'B-LT' | 'B-LTA';
  /** Revocation data unreachable: false refuses to sign; true (default) signs at B-T and says so in `warnings`. */
  revocationOptional?: boolean;
  revocationTimeoutMs?: number;
  /** Revocation answers still current from earlier signatures (a batch asks each responder once per validity). */
  revocationCache?: RevocationCache;
  now: Date;
  /** Language of the stamp's labels. */
  language?: Language;
  /** false: an invisible signature. */
  stamp?: false | StampPlacement;
  /** The professional who validated the document, shown on the stamp ("Validado por …"). */
  validatedBy?: string;
  /**
   * A document certified by its producer (DocMDP P=2 or 3) may be signed again, but strict validators allow no new
   * visible field after a certification: 'invisible' (default) signs without a stamp, 'refuse' does not sign.
   */
  certified?: 'invisible' | 'refuse';
}

/** Where the signature shows: a stamp on a page of the document, on a signature page added at the end, or nowhere. */
export type SignatureAppearance = 'stamp' | 'signature_page' | 'invisible';

export type SignPdfResult =
  | {
      ok: true;
      pdf: Buffer;
      /** SHA-256 of the signed PDF (what is stored and sent). */
      sha256: string;
      /** SHA-256 of the document as received; the verification code is its first 10 hex digits. */
      sourceSha256: string;
      verificationCode: string;
      level: PadesLevel;
      signedAt: string;
      /** The TSA's time, at B-T. */
      timestampedAt: string | null;
      certificate: CertificateInfo;
      /** Signatures in the output, ours included (2 when the lab had signed). */
      signatureCount: number;
      appearance: SignatureAppearance;
      warnings: { code: SignErrorCode; reason: Reason }[];
    }
  | { ok: false; code: SignErrorCode; reason: Reason; certificate?: CertificateInfo };

type Failure = Extract<SignPdfResult, { ok: false }>;

/** Room for the CMS beyond the certificates: signed attributes, signature value, and a TSA token with its chain. */
const CMS_OVERHEAD = 4096;
const TIMESTAMP_ROOM = 12_288;

/**
 * Signs a PDF with PAdES (SubFilter ETSI.CAdES.detached, signing-certificate-v2; B-T with a TSA) as an incremental
 * update, with a visible stamp. Bytes in, bytes out: storage, settings and secrets are the caller's.
 */
export async function signPdf(input: Uint8Array, options: SignPdfOptions): Promise<SignPdfResult> {
  const local = DateTime.fromJSDate(options.now, { zone: options.timeZone });
  if (!local.isValid) {
    return fail('invalid_options', signReasons.invalid_options(`unknown time zone "${options.timeZone}"`));
  }
  const loaded = options.identity
    ? checkCertificate(options.identity, options.now)
    : loadCertificate(options.p12, options.password, options.now);
  if (!loaded.ok) {
    const failure: Failure = { ok: false, code: loaded.code, reason: loaded.reason };
    if (loaded.info) failure.certificate = loaded.info;
    return failure;
  }
  const { identity } = loaded;

  const sourceSha256 = sha256Hex(input);
  const code = verificationCode(sourceSha256);
  const warnings: { code: SignErrorCode; reason: Reason }[] = [];
  const timestamper = options.tsaUrl
    ? rfc3161Timestamper({ url: options.tsaUrl, timeoutMs: options.tsaTimeoutMs })
    : undefined;

  let attempt = await signOnce(input, options, identity, code, timestamper);
  if (!attempt.ok && attempt.code === 'tsa_unavailable' && options.tsaOptional) {
    warnings.push({ code: attempt.code, reason: signReasons.tsa_skipped(attempt.detail ?? '') });
    attempt = await signOnce(input, options, identity, code, undefined);
  }
  if (!attempt.ok) return fail(attempt.code, attempt.reason);
  let pdf = attempt.pdf;
  let level: PadesLevel = attempt.token ? 'B-T' : 'B-B';
  if (attempt.token && timestamper && (options.level === 'B-LT' || options.level === 'B-LTA')) {
    const extended = await extendToLongTerm(attempt.pdf, attempt.token, identity, timestamper, options);
    if (!extended.ok) return extended;
    pdf = extended.pdf;
    level = extended.level;
    warnings.push(...extended.warnings);
  }
  return {
    ok: true,
    pdf,
    sha256: sha256Hex(pdf),
    sourceSha256,
    verificationCode: code,
    level,
    signedAt: options.now.toISOString(),
    timestampedAt: attempt.token ? (timestampTime(attempt.token)?.toISOString() ?? null) : null,
    certificate: identity.info,
    signatureCount: attempt.signatureCount,
    appearance: attempt.appearance,
    warnings,
  };
}

type Extended = { ok: true; pdf: Buffer; level: PadesLevel; warnings: { code: SignErrorCode; reason: Reason }[] } | Failure;

/**
 * B-LT: revocation data for the signer's chain (OCSP from the AIA, else the CRL from the CDP), fetched after the
 * signature timestamp, checked, and embedded with the certificates in a DSS by incremental update. B-LTA: then a
 * document timestamp over all of it. A revoked certificate refuses the signature.
 */
async function extendToLongTerm(
  signed: Buffer,
  token: Buffer,
  identity: SigningIdentity,
  timestamper: Timestamper,
  options: SignPdfOptions,
): Promise<Extended> {
  const chain = [identity.certificate.der, ...identity.chain.map((c) => c.der)];
  const asked = { now: options.now, timeoutMs: options.revocationTimeoutMs, cache: options.revocationCache };
  const revocation = await collectRevocation(chain, asked);
  if (!revocation.ok) {
    if (revocation.code === 'revoked') return fail('revoked', signReasons.revoked(revocation.subject));
    const detail = `${revocation.subject}: ${revocation.detail}`;
    if (options.revocationOptional === false) return fail('revocation_unavailable', signReasons.revocation_unavailable(detail));
    return { ok: true, pdf: signed, level: 'B-T', warnings: [{ code: 'revocation_unavailable', reason: signReasons.revocation_skipped(detail) }] };
  }
  // A certificate that names no OCSP responder and no CRL cannot be checked later either: the data is incomplete, so
  // the level stays B-T (the certificates still go in the DSS) and the warning says why.
  const incomplete: { code: SignErrorCode; reason: Reason }[] = revocation.unchecked.length
    ? [{ code: 'revocation_unavailable', reason: signReasons.revocation_skipped(`${revocation.unchecked.join(', ')}: sin OCSP ni CRL`) }]
    : [];
  // The TSA's certificates travel too, so its token can be checked later; its revocation data when it publishes any.
  const tsaChain = certificatesOfSignedData(token);
  const tsaRevocation = await collectRevocation(tsaChain, asked);
  const tsaData = tsaRevocation.ok ? tsaRevocation.data : { ocsps: [], crls: [] };
  const check = checkLastSignature(signed);
  if (!check.ok) return fail('signature_failed', signReasons.signature_failed(check.detail));
  const [, b, c] = check.byteRange;
  const contents = Buffer.from(signed.subarray(b + 1, c - 1).toString('latin1'), 'hex');
  const opened = await openPdf(signed);
  if (!opened.ok) return fail('signature_failed', signReasons.signature_failed(opened.detail));
  let pdf = appendDss(opened.pdf, {
    certs: [...chain, ...tsaChain],
    ocsps: [...revocation.data.ocsps, ...tsaData.ocsps],
    crls: [...revocation.data.crls, ...tsaData.crls],
    vri: [{ key: vriKey(contents), certs: chain, ocsps: revocation.data.ocsps, crls: revocation.data.crls }],
  });
  if (incomplete.length) return { ok: true, pdf, level: 'B-T', warnings: incomplete };
  if (options.level !== 'B-LTA') return { ok: true, pdf, level: 'B-LT', warnings: [] };

  const reopened = await openPdf(pdf);
  if (!reopened.ok) return fail('signature_failed', signReasons.signature_failed(reopened.detail));
  const withPlaceholder = appendSignatureField(reopened.pdf, {
    documentTimestamp: true,
    signatureBytes: TIMESTAMP_ROOM,
    signingTime: pdfDate(options.now, options.timeZone),
  });
  try {
    pdf = await new SignPdf().sign(withPlaceholder, new DocumentTimestampSigner(timestamper));
  } catch (err) {
    if (err instanceof TimestampError) return fail('tsa_unavailable', signReasons.tsa_unavailable(err.message));
    return fail('signature_failed', signReasons.signature_failed(err instanceof Error ? err.message : String(err)));
  }
  return { ok: true, pdf, level: 'B-LTA', warnings: [] };
}

/** A document timestamp's /Contents is the TSA's token itself, over the SHA-256 of the signed byte ranges. */
class DocumentTimestampSigner extends Signer {
  constructor(private readonly timestamper: Timestamper) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    return this.timestamper(content);
  }
}

type Attempt =
  | { ok: true; pdf: Buffer; token: Buffer | null; signatureCount: number; appearance: SignatureAppearance }
  | (Failure & { detail?: string });

async function signOnce(
  input: Uint8Array,
  options: SignPdfOptions,
  identity: SigningIdentity,
  code: string,
  timestamper: Timestamper | undefined,
): Promise<Attempt> {
  const certBytes = [identity.certificate, ...identity.chain].reduce((n, c) => n + c.der.length, 0);
  let room = certBytes + CMS_OVERHEAD + (timestamper ? TIMESTAMP_ROOM : 0);
  // A chain or a TSA token bigger than estimated: one retry with twice the room.
  for (let tries = 0; tries < 2; tries += 1, room *= 2) {
    const opened = await openPdf(input);
    if (!opened.ok) return fail(opened.code, openFailureReason(opened.code, opened.detail));
    const { pdf } = opened;
    if (pdf.certification && options.certified === 'refuse') return fail('certified_pdf', signReasons.certified_pdf());
    const appearance = appearanceFor(pdf, options, identity, code);
    const withPlaceholder = appendSignatureField(pdf, {
      signatureBytes: room,
      signingTime: pdfDate(options.now, options.timeZone),
      signerName: options.signerName ?? identity.info.subject.commonName ?? undefined,
      reason: options.reason,
      location: options.location,
      contactInfo: options.contactInfo,
      appearance: appearance.widget,
    });
    const signer = new CadesSigner(identity, timestamper);
    try {
      const signed = await new SignPdf().sign(withPlaceholder, signer);
      // Signed means valid: never hand out a file whose signature does not check out.
      const check = checkLastSignature(signed);
      if (!check.ok) return fail('signature_failed', signReasons.signature_failed(check.detail));
      return {
        ok: true,
        pdf: signed,
        token: signer.token,
        signatureCount: pdf.signatureCount + 1,
        appearance: appearance.kind,
      };
    } catch (err) {
      // The card is gone, or refused: its own reason, and the document waits for the next attempt.
      if (err instanceof TokenError) return fail(err.code, err.reason);
      if (err instanceof TimestampError) {
        return { ...fail('tsa_unavailable', signReasons.tsa_unavailable(err.message)), detail: err.message };
      }
      const message = err instanceof Error ? err.message : String(err);
      if (!/exceeds placeholder length/.test(message)) {
        return fail('signature_failed', signReasons.signature_failed(message));
      }
    }
  }
  return fail('signature_failed', signReasons.signature_failed('the signature does not fit its placeholder'));
}

/** @signpdf hands the signer the bytes outside /Contents; this answers with our CAdES CMS. */
class CadesSigner extends Signer {
  token: Buffer | null = null;

  constructor(
    private readonly identity: SigningIdentity,
    private readonly timestamper: Timestamper | undefined,
  ) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const stamp = this.timestamper;
    const recordToken: Timestamper | undefined = stamp
      ? async (value) => {
          this.token = await stamp(value);
          return this.token;
        }
      : undefined;
    return buildCadesSignature(content, this.identity, recordToken);
  }
}

type Widget = Parameters<typeof appendSignatureField>[1]['appearance'];

/**
 * Where the stamp goes: at the clinic's x/y when given; else the first empty spot from the chosen corner of the chosen
 * page, clear of what the page draws and of earlier stamps; else on a signature page added at the end (only to a
 * document nobody signed yet: a new page after someone's signature is a change validators flag); else invisible.
 */
function appearanceFor(
  pdf: LoadedPdf,
  options: SignPdfOptions,
  identity: SigningIdentity,
  code: string,
): { kind: SignatureAppearance; widget: Widget } {
  if (options.stamp === false || pdf.certification) return { kind: 'invisible', widget: undefined };
  const placement = options.stamp ?? {};
  const count = pdf.doc.getPageCount();
  const wanted = placement.page ?? 'last';
  const index = wanted === 'first' ? 0 : wanted === 'last' ? count - 1 : Math.min(Math.max(0, wanted), count - 1);
  const widget = (page: PDFPage, rect: [number, number, number, number]): Widget => {
    const rotation = page.getRotation().angle;
    return {
      page,
      rect,
      build: () =>
        buildStampAppearance(
          pdf.doc.context,
          {
            signer: options.signerName ?? identity.info.subject.commonName ?? identity.info.subject.dn,
            when: options.now,
            timeZone: options.timeZone,
            verificationCode: code,
            language: options.language ?? 'es',
            ...(options.validatedBy ? { validatedBy: options.validatedBy } : {}),
          },
          rotation,
        ),
    };
  };

  const page = pdf.doc.getPage(index);
  const frame = { box: page.getCropBox(), rotation: page.getRotation().angle };
  if (placement.x !== undefined || placement.y !== undefined) {
    return { kind: 'stamp', widget: widget(page, stampRect(frame.box, frame.rotation, pdf.signatureCount, placement)) };
  }
  const occupied = [...drawnBoxes(page), ...annotationBoxes(page)];
  const free = findFreeStampRect(frame, occupied, placement.corner);
  if (free) return { kind: 'stamp', widget: widget(page, free) };
  if ((placement.whenFull ?? 'signature_page') === 'signature_page' && pdf.signatureCount === 0) {
    const added = addSignaturePage(pdf);
    const box = added.getCropBox();
    const rect = findFreeStampRect({ box, rotation: added.getRotation().angle }, [], 'top-left');
    if (rect) return { kind: 'signature_page', widget: widget(added, rect) };
  }
  return { kind: 'invisible', widget: undefined };
}

/** PDF date with the site's offset, e.g. D:20250305103200-05'00'. */
function pdfDate(now: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const offset = local.offset === 0 ? 'Z' : local.toFormat("ZZ").replace(':', "'") + "'";
  return `D:${local.toFormat('yyyyLLddHHmmss')}${offset}`;
}

function openFailureReason(code: 'invalid_pdf' | 'encrypted_pdf' | 'locked_pdf', detail: string): Reason {
  if (code === 'encrypted_pdf') return signReasons.encrypted_pdf();
  if (code === 'locked_pdf') return signReasons.locked_pdf();
  return signReasons.invalid_pdf(detail);
}

function fail(code: SignErrorCode, reason: Reason): Failure {
  return { ok: false, code, reason };
}
