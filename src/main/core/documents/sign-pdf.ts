import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { DateTime } from 'luxon';
import type { Language } from '../../../shared/domain';
import { type CertificateInfo, type SigningIdentity, checkCertificate, loadCertificate } from './certificate';
import { type Timestamper, buildCadesSignature } from './cms';
import { sha256Hex } from '../hash';
import { type LoadedPdf, appendSignatureField, openPdf } from './pdf-update';
import { type StampPlacement, buildStampAppearance, stampRect, verificationCode } from './stamp';
import { type Reason, type SignErrorCode, signReasons } from './texts';
import { TimestampError, rfc3161Timestamper, timestampTime } from './timestamp';
import { checkLastSignature } from './verify';

export type PadesLevel = 'B-B' | 'B-T';

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
  now: Date;
  /** Language of the stamp's labels. */
  language?: Language;
  /** false: an invisible signature. */
  stamp?: false | StampPlacement;
}

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
  return {
    ok: true,
    pdf: attempt.pdf,
    sha256: sha256Hex(attempt.pdf),
    sourceSha256,
    verificationCode: code,
    level: attempt.token ? 'B-T' : 'B-B',
    signedAt: options.now.toISOString(),
    timestampedAt: attempt.token ? (timestampTime(attempt.token)?.toISOString() ?? null) : null,
    certificate: identity.info,
    signatureCount: attempt.signatureCount,
    warnings,
  };
}

type Attempt =
  | { ok: true; pdf: Buffer; token: Buffer | null; signatureCount: number }
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
    const withPlaceholder = appendSignatureField(pdf, {
      signatureBytes: room,
      signingTime: pdfDate(options.now, options.timeZone),
      signerName: options.signerName ?? identity.info.subject.commonName ?? undefined,
      reason: options.reason,
      location: options.location,
      contactInfo: options.contactInfo,
      appearance: appearanceFor(pdf, options, identity, code),
    });
    const signer = new CadesSigner(identity, timestamper);
    try {
      const signed = await new SignPdf().sign(withPlaceholder, signer);
      // Signed means valid: never hand out a file whose signature does not check out.
      const check = checkLastSignature(signed);
      if (!check.ok) return fail('signature_failed', signReasons.signature_failed(check.detail));
      return { ok: true, pdf: signed, token: signer.token, signatureCount: pdf.signatureCount + 1 };
    } catch (err) {
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

function appearanceFor(
  pdf: LoadedPdf,
  options: SignPdfOptions,
  identity: SigningIdentity,
  code: string,
): Parameters<typeof appendSignatureField>[1]['appearance'] {
  if (options.stamp === false) return undefined;
  const placement = options.stamp ?? {};
  const count = pdf.doc.getPageCount();
  const wanted = placement.page ?? 'last';
  const index = wanted === 'first' ? 0 : wanted === 'last' ? count - 1 : Math.min(Math.max(0, wanted), count - 1);
  const page = pdf.doc.getPage(index);
  const rotation = page.getRotation().angle;
  return {
    page,
    rect: stampRect(page.getCropBox(), rotation, pdf.signatureCount, placement),
    build: () =>
      buildStampAppearance(
        pdf.doc.context,
        {
          signer: options.signerName ?? identity.info.subject.commonName ?? identity.info.subject.dn,
          when: options.now,
          timeZone: options.timeZone,
          verificationCode: code,
          language: options.language ?? 'es',
        },
        rotation,
      ),
  };
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
