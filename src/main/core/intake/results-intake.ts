import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { getConsentPolicy, goesAfterOptOut } from '../store/consent-repo';
import { actingAs } from '../audit/acting';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../../../shared/domain';
import { appendAudit } from '../audit/audit-log';
import { sha256Hex } from '../hash';
import { openPdf } from '../documents/pdf-update';
import type { DocumentPipeline } from '../documents/pipeline';
import { type Reason, openRefusal } from '../documents/texts';
import type { Db } from '../store/db';
import { getPatient } from '../store/patients-repo';
import {
  clearReview,
  dismissIntake,
  getIntake,
  insertIntake,
  markResultOfMessageSent,
  markForReview,
  setIntakeOriginal,
  setIntakePatient,
  setIntakeSourceFile,
  setManualApproval,
  setPendingResultStatus,
  setResultSignatureWarning,
  stalledIntakeIds,
  updateIntakeRecord,
  upsertIntakeResult,
  type IntakeRow,
} from '../store/results-intake-repo';
import type { IncomingResult, IntakeOutcome, ResultsSink, ReviewCode } from './incoming-result';
import { matchPatient } from './patient-match';
import { updatePatient } from './patients';
import type { ResultsSettings } from '../settings/results-settings';
import { reviewReasons } from '../documents/results-texts';
import { peopleReasons } from '../people/texts';
import { fixedRecord, listReviewQueue, type ReviewFix, type ReviewItem } from './review-queue';
import { readStoredRecord, toStoredRecord } from './stored-record';
import { heldReason } from './source-trust';

export type { ReviewFix, ReviewItem } from './review-queue';

export interface ResultsIntakeOptions {
  db: Db;
  pipeline: DocumentPipeline;
  /** Avisa's copies of documents as received, e.g. <dataDir>/documents/originals. */
  originalsDir: string;
  now: () => number;
  /** Language of the reasons stored for the receptionist. */
  language: () => Language;
  /** Country in which phone numbers without a prefix are read. */
  defaultCountry: () => string;
  results: () => ResultsSettings;
  /** Intake created a patient or filled in a phone or consent: reminders may need planning. */
  onPatientChanged?: (patientId: number) => void;
  /** An item that had been in review went through: its source may tidy up (errores/ → enviados/). */
  onResolved?: (item: { intakeId: number; sourceFile: string | null; document?: { file: string; signed: boolean } }) => void;
  /** Anything about an item changed: the UI refreshes Resultados. */
  onChanged?: (intakeId: number) => void;
  /** Kinds that need a health professional's validation wait for it (none when absent). */
  signOff?: { cleared(item: { resultId: number; kind: string; source: string; sourceApproved: boolean }): boolean };
}

export class ResultsIntakeError extends Error {
  constructor(
    readonly code: 'not_found' | 'no_result' | 'already_sent' | 'unknown_patient',
    readonly reason: Reason,
  ) {
    super(reason.en);
  }
}

export interface ResultsIntake extends ResultsSink {
  retry(id: number, actor: string): Promise<IntakeOutcome>;
  /** A person's approval click (required when the site says so, or when the source had not approved). */
  approve(id: number, actor: string): Promise<IntakeOutcome>;
  fix(input: ReviewFix, actor: string): Promise<IntakeOutcome>;
  dismiss(id: number, actor: string): void;
  listReviewQueue(q: { limit: number; offset: number }): { rows: ReviewItem[]; total: number };
  /** After a crash while signing: results left approved but never enqueued go through again. */
  resume(): Promise<number>;
  /** Resolves when nothing is in flight (before closing the database). */
  idle(): Promise<void>;
}

const signingCodes = new Set<string>(['no_certificate', 'certificate', 'signature_failed', 'storage_failed']);

const errors = {
  notFound: (): Reason => ({ es: 'El documento ya no existe.', en: 'The document no longer exists.' }),
  noResult: (): Reason => ({
    es: 'Primero asigne o registre al paciente de este documento.',
    en: 'First assign or register the patient of this document.',
  }),
  alreadySent: (): Reason => ({ es: 'Este documento ya fue enviado.', en: 'This document was already sent.' }),
  unknownPatient: (): Reason => ({ es: 'El paciente indicado no existe.', en: 'The given patient does not exist.' }),
};

/**
 * Matching and approval for documents from every source: one intake item per source key (so a record seen twice is
 * one result), problems kept in "por revisar" with a reason and a way to retry, approved results handed to the
 * document pipeline. Work on one item is serialised; different items proceed independently.
 */
export function createResultsIntake(o: ResultsIntakeOptions): ResultsIntake {
  const locks = new Map<string, Promise<void>>();
  const withLock = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return run;
  };

  const audit = (actor: string, action: string, id: number, data: Record<string, unknown> = {}) =>
    appendAudit(o.db, { actor, action, entity: 'result_intake', entityId: id, data }, o.now());

  const mustGet = (id: number): IntakeRow => {
    const item = getIntake(o.db, id);
    if (!item) throw new ResultsIntakeError('not_found', errors.notFound());
    return item;
  };

  const review = (id: number, code: ReviewCode, reason: Reason): IntakeOutcome => {
    markForReview(o.db, id, code, reason[o.language()], o.now());
    audit('system', code === 'awaiting_approval' ? 'result.awaiting_approval' : 'result.review', id, { code });
    notify('onChanged', () => o.onChanged?.(id));
    const item = mustGet(id);
    return {
      intakeId: id,
      resultId: item.resultId,
      state: code === 'awaiting_approval' ? 'awaiting_approval' : 'review',
      code,
      reason,
    };
  };

  const storeOriginal = (id: number, pdf: Uint8Array): void => {
    const sha = sha256Hex(pdf);
    mkdirSync(o.originalsDir, { recursive: true });
    const file = join(o.originalsDir, `${sha}.pdf`);
    if (!existsSync(file)) {
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, pdf);
      renameSync(partial, file);
    }
    setIntakeOriginal(o.db, id, file, sha, o.now());
  };

  /** Callbacks are the composition root's; one that throws must not undo or hide what the intake did. */
  const notify = (what: string, call: () => unknown): void => {
    try {
      call();
    } catch (error) {
      console.error(`[avisa] results intake: ${what} failed`, error);
    }
  };

  /** Whatever goes wrong unexpectedly, the item stays visible in the queue with the error (DESIGN, invariant 9). */
  const evaluate = async (id: number, given: Uint8Array | null): Promise<IntakeOutcome> => {
    try {
      return await advance(id, given);
    } catch (error) {
      if (error instanceof ResultsIntakeError) throw error;
      return review(id, 'internal', reviewReasons.internal(error instanceof Error ? error.message : String(error)));
    }
  };

  /** Takes an item as far as it can go: review with the first problem found, held for approval, or queued. */
  const advance = async (id: number, given: Uint8Array | null): Promise<IntakeOutcome> => {
    const item = mustGet(id);
    if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
      return { intakeId: id, resultId: item.resultId, state: 'duplicate' };
    }
    const wasInReview = item.reviewCode !== null;
    const record = readStoredRecord(item.record);
    if (record.problem) return review(id, record.problem.code, record.problem.reason);

    const bytes = given ?? (item.originalFile ? await readFile(item.originalFile).catch(() => null) : null);
    if (!bytes) return review(id, 'unreadable', reviewReasons.missing_original());
    const opened = await openPdf(bytes);
    if (!opened.ok) {
      const refused = openRefusal(opened.code, opened.detail);
      return review(id, refused.code, refused.reason);
    }

    const at = o.now();
    const settings = o.results();
    const match = matchPatient(o.db, record.patient, {
      assignedPatientId: item.patientId,
      defaultDocumentType: settings.defaultDocumentType,
      at,
      language: o.language(),
      defaultCountry: o.defaultCountry(),
      consentSource: record.consentByPerson ? 'reception_form' : 'import',
    });
    if (!match.ok) return review(id, match.code, match.reason);
    const { patient } = match;
    if (match.changed) notify('onPatientChanged', () => o.onPatientChanged?.(patient.id));
    const resultId = upsertIntakeResult(
      o.db,
      id,
      {
        kind: item.kind,
        patientId: patient.id,
        siteId: patient.siteId,
        source: item.source,
        sourceKey: item.sourceKey,
        title: item.title,
        accessionNumber: record.accessionNumber,
        studyUid: record.studyUid,
        approvedAt: record.approvedAt,
        approvedBy: record.approvedBy,
      },
      at,
    );

    const name = `${patient.firstNames} ${patient.lastNames}`.trim();
    if (!patient.phoneE164) return review(id, 'bad_phone', reviewReasons.bad_phone(name, patient.phoneError));
    // A result or document the patient is waiting for may still go after "BAJA": the clinic's policy says.
    if (patient.consent === 'opted_out' && !goesAfterOptOut(getConsentPolicy(o.db), item.kind)) {
      return review(id, 'opted_out', reviewReasons.opted_out(name));
    }
    if (patient.consent === 'unknown') return review(id, 'no_consent', reviewReasons.no_consent(name));
    if (o.signOff && !o.signOff.cleared({ resultId, kind: item.kind, source: item.source, sourceApproved: record.approved })) {
      return review(id, 'awaiting_validation', peopleReasons.awaitingValidation());
    }
    if (mustGet(id).manualApprovedAt === null) {
      if (!record.approved) return review(id, 'awaiting_approval', heldReason(item.source));
      if (settings.requireManualApproval) return review(id, 'awaiting_approval', reviewReasons.awaiting_approval());
    }

    setPendingResultStatus(o.db, resultId, 'approved', at);
    clearReview(o.db, id, at);
    const done = await o.pipeline.process(resultId, bytes);
    if (!done.ok) return review(id, done.code, done.reason);
    audit('system', 'result.queued', id, { resultId, signed: done.signed, messageId: done.messageId });
    if (done.warnings.length) {
      // Signed, but not as asked (a lower PAdES level): the trail says so, and so does the result.
      setResultSignatureWarning(o.db, resultId, done.warnings.map((w) => w.reason[o.language()]).join(' '), o.now());
      for (const warning of done.warnings) {
        audit('system', 'result.signature_warning', id, { resultId, code: warning.code, reason: warning.reason });
      }
    }
    notify('onChanged', () => o.onChanged?.(id));
    const document = done.documentFile ? { file: done.documentFile, signed: done.signed } : undefined;
    if (wasInReview) {
      notify('onResolved', () => o.onResolved?.({ intakeId: id, sourceFile: item.sourceFile, ...(document ? { document } : {}) }));
    }
    return { intakeId: id, resultId, state: 'queued', ...(document ? { document } : {}) };
  };

  const receive = (record: IncomingResult): Promise<IntakeOutcome> =>
    withLock(record.sourceKey, async () => {
      const at = o.now();
      const stored = JSON.stringify(toStoredRecord(record));
      const row = { kind: record.kind, title: record.title, record: stored, originalName: record.originalName ?? null };
      const { id, created } = insertIntake(o.db, { source: record.source, sourceKey: record.sourceKey, ...row }, at);
      if (!created) {
        const item = mustGet(id);
        // Idempotent intake (DESIGN, invariant 1): what has gone out stays as it went.
        if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
          return { intakeId: id, resultId: item.resultId, state: 'duplicate' };
        }
        // A person dismissed it: the source saving the same file again does not overrule them (Resultados →
        // Descartados → Enviar does).
        if (item.resultStatus === 'dismissed') return { intakeId: id, resultId: item.resultId, state: 'duplicate' };
        // Still waiting: the source's newer metadata (a renamed file, a corrected row) replaces what it said before.
        updateIntakeRecord(o.db, id, row, at);
      }
      if (record.pdf) storeOriginal(id, record.pdf);
      audit('system', created ? 'result.received' : 'result.received_again', id, {
        source: record.source,
        kind: record.kind,
      });
      return evaluate(id, record.pdf);
    });

  const onItem = (id: number, work: (item: IntakeRow) => Promise<IntakeOutcome>): Promise<IntakeOutcome> =>
    withLock(mustGet(id).sourceKey, () => work(mustGet(id)));

  return {
    receive,
    noteSourceFile(id, path) {
      setIntakeSourceFile(o.db, id, path, o.now());
    },

    retry: (id, actor) =>
      onItem(id, async (item) => {
        if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
          return { intakeId: id, resultId: item.resultId, state: 'duplicate' };
        }
        // The certificate or its password may have been replaced since: open it again.
        if (item.reviewCode && signingCodes.has(item.reviewCode)) o.pipeline.reloadCertificate();
        audit(actor, 'result.retry', id, { code: item.reviewCode });
        return evaluate(id, null);
      }),

    approve: (id, actor) =>
      onItem(id, async (item) => {
        if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
          throw new ResultsIntakeError('already_sent', errors.alreadySent());
        }
        if (item.resultId === null) throw new ResultsIntakeError('no_result', errors.noResult());
        const by = actingAs(actor);
        setManualApproval(o.db, item.resultId, by.actor, o.now(), by.personId);
        audit(actor, 'result.approved', id, { resultId: item.resultId });
        return evaluate(id, null);
      }),

    fix: (input, actor) =>
      onItem(input.id, async (item) => {
        if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
          throw new ResultsIntakeError('already_sent', errors.alreadySent());
        }
        const at = o.now();
        if (input.patientId !== undefined) {
          if (!getPatient(o.db, input.patientId)) throw new ResultsIntakeError('unknown_patient', errors.unknownPatient());
          setIntakePatient(o.db, item.id, input.patientId, at);
        }
        const known = input.patientId ?? item.resultPatientId ?? null;
        if (known !== null && (input.phone !== undefined || input.consent !== undefined)) {
          // The patient exists: the correction goes to the register itself, as in Pacientes.
          updatePatient(
            o.db,
            {
              id: known,
              ...(input.phone !== undefined ? { phone: input.phone } : {}),
              ...(input.consent !== undefined ? { consent: input.consent } : {}),
            },
            { at, language: o.language(), defaultCountry: o.defaultCountry() },
          );
          notify('onPatientChanged', () => o.onPatientChanged?.(known));
        }
        const fixed = fixedRecord(readStoredRecord(item.record), input, known !== null);
        updateIntakeRecord(
          o.db,
          item.id,
          {
            kind: input.kind ?? item.kind,
            title: input.title?.trim() || item.title,
            record: JSON.stringify(fixed),
            originalName: null,
          },
          at,
        );
        audit(actor, 'result.fixed', item.id, { fields: Object.keys(input).filter((k) => k !== 'id') });
        return evaluate(item.id, null);
      }),

    dismiss(id, actor) {
      const item = mustGet(id);
      if (item.resultStatus === 'queued' || item.resultStatus === 'sent') {
        throw new ResultsIntakeError('already_sent', errors.alreadySent());
      }
      const by = actingAs(actor);
      dismissIntake(o.db, id, by.actor, o.now(), by.personId);
      audit(actor, 'result.dismissed', id, { code: item.reviewCode });
      notify('onChanged', () => o.onChanged?.(id));
    },

    listReviewQueue: (q) => listReviewQueue(o.db, q),

    async resume() {
      const ids = stalledIntakeIds(o.db);
      for (const id of ids) await onItem(id, () => evaluate(id, null));
      return ids.length;
    },

    async idle() {
      while (locks.size) await Promise.all([...locks.values()]);
    },
  };
}

/**
 * For the composition root's message listener: when a message reaches the provider (sent, delivered or read), its
 * result shows as sent in Resultados.
 */
export function resultMessageSent(db: Db, messageId: number, at: number): boolean {
  return markResultOfMessageSent(db, messageId, at);
}
