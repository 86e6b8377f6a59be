import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelId } from '../../../shared/domain';
import type { ReviewCode } from '../intake/incoming-result';
import type { KindRule, ResultsSettings, SigningSettings } from '../settings/results-settings';
import { reviewReasons } from './results-texts';
import type { Outbox } from '../outbox/outbox';
import type { Db } from '../store/db';
import {
  pipelineRow,
  setResultDocument,
  setResultStudyUid,
  type PipelineRow,
  type StoredDocument,
} from '../store/results-intake-repo';
import { setResultStatus } from '../store/results-repo';
import { getValidation } from '../store/validations-repo';
import { certificateCache, type CertificateSource, type CertificateStatus } from './certificate-cache';
import { sha256Hex } from '../hash';
import { imagingLink, needsStudyUid } from './imaging-link';
import { openPdf } from './pdf-update';
import { portalLink, portalTemplateFor } from './portal-link';
import type { ResultValidation } from '../../../shared/people';
import { appendAudit } from '../audit/audit-log';
import type { ProfessionalCredentials } from './professional-credentials';
import { resultMessage } from './result-message';
import { revocationCache } from './revocation-cache';
import { type SignPdfResult, signPdf } from './sign-pdf';
import { type Reason, openRefusal } from './texts';

export interface DocumentPipelineOptions {
  db: Db;
  outbox: Outbox;
  /** <dataDir>/documents: what the outbox sends is kept here, named by its SHA-256. */
  documentsDir: string;
  now: () => number;
  /** The site's IANA zone: the stamp, /M and the file name's date are local. */
  timeZone: () => string;
  channel: () => ChannelId;
  templateLanguage: () => string;
  results: () => ResultsSettings;
  signing: () => SigningSettings;
  certificate: () => CertificateSource | null;
  /**
   * The credential on a token or smart card when the clinic signs with one (else null: the PKCS#12 above): its status
   * carries the identity while a person's PIN has opened the card.
   */
  tokenCredential?: () => CertificateStatus | null;
  /** The professionals' own credentials: a result validated by one who holds a credential is signed with it. */
  professionals?: ProfessionalCredentials;
  /** StudyInstanceUID of an accession number (a PACS lookup); optional. */
  lookupStudyUid?: (accessionNumber: string) => Promise<string | null>;
}

export type PipelineOutcome =
  | {
      ok: true;
      signed: boolean;
      messageId: number | null;
      /** The stored document as it goes to the patient (null when it was already on its way). */
      documentFile: string | null;
      /** What signing could not do as asked (e.g. no timestamp: a lower PAdES level); for the audit trail and the result. */
      warnings: { code: string; reason: Reason }[];
    }
  | { ok: false; code: ReviewCode; reason: Reason };

export interface DocumentPipeline {
  /** Signs (per the kind's rule), stores and enqueues one approved result. Never enqueues a required signature unsigned. */
  process(resultId: number, original?: Uint8Array): Promise<PipelineOutcome>;
  certificateStatus(): CertificateStatus;
  reloadCertificate(): void;
}

type Prepared =
  | { ok: true; pdf: Buffer; document: Omit<StoredDocument, 'filePath'>; warnings: { code: string; reason: Reason }[] }
  | Extract<PipelineOutcome, { ok: false }>;

export function createDocumentPipeline(o: DocumentPipelineOptions): DocumentPipeline {
  const certificates = certificateCache(o.certificate, o.now);
  // Shared by every document this pipeline signs: a batch asks each OCSP responder or CRL once per validity.
  const revocationAnswers = revocationCache();

  const siteCredential = (): CertificateStatus => o.tokenCredential?.() ?? certificates.current();

  /** The document as it will be sent: signed when the kind's rule and the certificate allow, else as received. */
  const prepare = async (row: PipelineRow, rule: KindRule, original: Uint8Array): Promise<Prepared> => {
    if (rule.signature !== 'never') {
      const validation = getValidation(o.db, row.id);
      // A professional who holds their own credential signs what they validated; nobody else's certificate stands in.
      const own = validation ? (o.professionals?.statusFor({ id: validation.personId, name: validation.personName }) ?? null) : null;
      const certificate = own ?? siteCredential();
      if (certificate.configured && certificate.ok) {
        const signed = own && validation ? await signAsProfessional(row, rule, original, certificate, validation) : await sign(row, rule, original, certificate, validation);
        if (signed.ok) {
          return {
            ok: true,
            pdf: signed.pdf,
            document: {
              sha256: signed.sha256,
              signed: true,
              signedAt: Date.parse(signed.signedAt),
              level: signed.level,
              verificationCode: signed.verificationCode,
            },
            warnings: signed.warnings,
          };
        }
        const failure = signFailure(signed);
        // A receipt may go unsigned when signing is impossible for reasons of the certificate or the TSA, never when
        // the file itself is broken.
        if (rule.signature === 'required' || failure.code === 'invalid_pdf') return failure;
      } else if (rule.signature === 'required') {
        return certificate.configured
          ? { ok: false, code: 'certificate', reason: certificate.reason }
          : { ok: false, code: 'no_certificate', reason: reviewReasons.no_certificate() };
      }
    }
    const opened = await openPdf(original);
    if (!opened.ok) return { ok: false, ...openRefusal(opened.code, opened.detail) };
    const pdf = Buffer.from(original);
    return {
      ok: true,
      pdf,
      document: { sha256: sha256Hex(pdf), signed: false, signedAt: null, level: null, verificationCode: null },
      warnings: [],
    };
  };

  const sign = (
    row: PipelineRow,
    rule: KindRule,
    original: Uint8Array,
    certificate: Extract<CertificateStatus, { ok: true }>,
    validation: ResultValidation | null,
    as: { signerName?: string; stamp?: false } = {},
  ): Promise<SignPdfResult> => {
    const s = o.signing();
    return signPdf(original, {
      ...(validation && !as.signerName
        ? { validatedBy: `${validation.personName}${validation.registryNumber ? ` (${validation.registryNumber})` : ''}` }
        : {}),
      ...(as.signerName ? { signerName: as.signerName } : {}),
      identity: certificate.identity,
      reason: rule.signReason,
      location: s.location,
      timeZone: o.timeZone(),
      now: new Date(o.now()),
      language: row.language,
      stamp: as.stamp ?? { page: s.stampPage, corner: rule.stampCorner, whenFull: s.stampWhenFull },
      certified: s.certifiedPdf,
      ...(s.tsaUrl
        ? { tsaUrl: s.tsaUrl, tsaOptional: s.tsaOptional, level: rule.padesLevel, revocationOptional: s.revocationOptional, revocationCache: revocationAnswers }
        : {}),
    });
  };

  /**
   * The professional's own signature, its stamp naming them from their certificate with their registry number; then,
   * when the clinic asks for it, the site's seal over it (a second, invisible signature by incremental update).
   */
  const signAsProfessional = async (
    row: PipelineRow,
    rule: KindRule,
    original: Uint8Array,
    own: Extract<CertificateStatus, { ok: true }>,
    validation: ResultValidation,
  ): Promise<SignPdfResult> => {
    const subject = own.info.subject.commonName ?? own.info.subject.dn;
    const signed = await sign(row, rule, original, own, validation, {
      signerName: validation.registryNumber ? `${subject} (${validation.registryNumber})` : subject,
    });
    if (!signed.ok || !o.signing().sealProfessionalSignatures) {
      if (signed.ok) audit(row.id, validation, signed, false);
      return signed;
    }
    const site = siteCredential();
    if (!site.configured || !site.ok) {
      if (rule.signature === 'required') {
        return site.configured
          ? { ok: false, code: site.code, reason: site.reason }
          : { ok: false, code: 'unreadable', reason: reviewReasons.no_certificate() };
      }
      audit(row.id, validation, signed, false);
      return signed;
    }
    const sealed = await sign(row, rule, signed.pdf, site, null, { stamp: false, signerName: site.info.subject.commonName ?? site.info.subject.dn });
    if (!sealed.ok) return sealed;
    // What was received and its verification code stay those of the original, not of the professional's copy.
    const result = { ...sealed, sourceSha256: signed.sourceSha256, verificationCode: signed.verificationCode, warnings: [...signed.warnings, ...sealed.warnings] };
    audit(row.id, validation, result, true);
    return result;
  };

  const audit = (resultId: number, validation: ResultValidation, signed: Extract<SignPdfResult, { ok: true }>, sealed: boolean): void => {
    appendAudit(
      o.db,
      {
        actor: validation.personName,
        personId: validation.personId,
        action: 'result.signed_by_professional',
        entity: 'result',
        entityId: resultId,
        data: {
          personName: validation.personName,
          registryNumber: validation.registryNumber,
          certificate: signed.certificate.subject.dn,
          certificateSerial: signed.certificate.serial,
          level: signed.level,
          sealed,
        },
      },
      o.now(),
    );
  };

  const studyLink = async (row: PipelineRow): Promise<string | null> => {
    const template = o.results().viewerUrlTemplate;
    let studyUid = row.studyUid;
    if (!studyUid && row.accessionNumber && needsStudyUid(template) && o.lookupStudyUid) {
      // A PACS that does not answer must not hold the result back: it goes without the link.
      studyUid = await o.lookupStudyUid(row.accessionNumber).catch(() => null);
      if (studyUid) setResultStudyUid(o.db, row.id, studyUid, o.now());
    }
    return imagingLink(template, { studyUid, accessionNumber: row.accessionNumber });
  };

  return {
    async process(resultId, given) {
      const row = pipelineRow(o.db, resultId);
      if (!row) throw new Error(`result ${resultId} not found`);
      if (row.status === 'queued' || row.status === 'sent') {
        return { ok: true, signed: false, messageId: null, documentFile: null, warnings: [] };
      }
      const phone = row.phoneE164;
      if (!phone) return { ok: false, code: 'bad_phone', reason: reviewReasons.bad_phone(row.firstNames, null) };

      const original = given ?? (row.originalFile ? await readFile(row.originalFile).catch(() => null) : null);
      if (!original) return { ok: false, code: 'unreadable', reason: reviewReasons.missing_original() };
      const rule = o.results().kinds[row.kind];
      const prepared = await prepare(row, rule, original);
      if (!prepared.ok) return prepared;

      let filePath: string;
      try {
        filePath = store(o.documentsDir, prepared.document.sha256, prepared.pdf);
      } catch (error) {
        return { ok: false, code: 'storage_failed', reason: reviewReasons.storage_failed(message(error)) };
      }
      const link = await studyLink(row);
      const portal = portalLink(portalTemplateFor(o.results(), row.siteId), {
        verificationCode: prepared.document.verificationCode,
        resultId: row.id,
        accessionNumber: row.accessionNumber,
      });

      const at = o.now();
      const messageId = o.db.transaction(() => {
        // Signed means valid (DESIGN, invariant 6): the last line of defence, whatever happened above.
        if (rule.signature === 'required' && !prepared.document.signed) throw new Error('unsigned document refused');
        setResultDocument(o.db, row.id, { ...prepared.document, filePath }, at);
        setResultStatus(o.db, row.id, 'queued', at);
        const { message } = o.outbox.enqueue(
          resultMessage({
            row: { ...row, phoneE164: phone },
            rule,
            documentPath: filePath,
            verificationCode: prepared.document.verificationCode,
            link,
            portalLink: portal,
            channel: o.channel(),
            templateLanguage: o.templateLanguage(),
            timeZone: o.timeZone(),
            now: at,
          }),
        );
        return message.id;
      })();
      return { ok: true, signed: prepared.document.signed, messageId, documentFile: filePath, warnings: prepared.warnings };
    },
    certificateStatus: siteCredential,
    reloadCertificate: () => certificates.reload(),
  };
}

/** Content-addressed, written whole then renamed: a crash never leaves half a document under its final name. */
function store(dir: string, sha256: string, pdf: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sha256}.pdf`);
  if (existsSync(path)) return path;
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, pdf);
  renameSync(partial, path);
  return path;
}

function signFailure(result: Extract<SignPdfResult, { ok: false }>): Extract<PipelineOutcome, { ok: false }> {
  switch (result.code) {
    case 'invalid_pdf':
    case 'encrypted_pdf':
      return { ok: false, code: 'invalid_pdf', reason: result.reason };
    case 'locked_pdf':
    case 'certified_pdf':
      return { ok: false, code: 'locked_pdf', reason: result.reason };
    case 'invalid_options':
    case 'tsa_unavailable':
    case 'revocation_unavailable':
    case 'signature_failed':
      return { ok: false, code: 'signature_failed', reason: result.reason };
    default:
      return { ok: false, code: 'certificate', reason: result.reason };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
