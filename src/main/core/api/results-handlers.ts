import { readFileSync } from 'node:fs';
import type { Language, ResultItem } from '../../../shared/domain';
import { certificateView, inspectCertificate } from '../documents/certificate-cache';
import type { DocumentPipeline } from '../documents/pipeline';
import { IssueError, issueDocument } from '../documents/issue-document';
import { documentFilename } from '../documents/result-message';
import { ResultsIntakeError, type ResultsIntake } from '../intake/results-intake';
import { messageRecordOf } from '../store/messages-repo';
import { getPatient } from '../store/patients-repo';
import { getResultItem, intakeFile, listResults, resultFiles } from '../store/results-repo';
import { clinicDefaults } from '../store/clinic-repo';
import { HandlerError } from './handler-error';
import { USER, type HandlerContext, type HandlersFor } from './handler-context';

type ResultsHandlerName =
  | 'results.list'
  | 'results.document'
  | 'results.send'
  | 'results.resend'
  | 'documents.issue'
  | 'results.review'
  | 'results.fix'
  | 'results.approve'
  | 'results.retry'
  | 'results.dismiss'
  | 'certificate.info'
  | 'certificate.install';

type Handlers = HandlersFor<ResultsHandlerName>;

const PAGE = { limit: 100, offset: 0 };

const refusals: Record<'notFound' | 'noFile' | 'alreadySent' | 'notSentYet' | 'noIntake' | 'queued' | 'noPhone', Record<Language, string>> = {
  noPhone: {
    es: 'El paciente no tiene un celular válido para WhatsApp: corríjalo primero.',
    en: 'The patient has no valid WhatsApp mobile: correct it first.',
  },
  notFound: { es: 'El documento ya no existe.', en: 'The document no longer exists.' },
  noFile: {
    es: 'El archivo de este documento ya no está en el equipo.',
    en: 'The file of this document is no longer on this computer.',
  },
  alreadySent: {
    es: 'Este documento ya fue enviado: use «Reenviar» si el paciente no lo recibió.',
    en: 'This document was already sent: use “Resend” if the patient did not get it.',
  },
  notSentYet: {
    es: 'Este documento aún no se ha enviado: use «Enviar».',
    en: 'This document has not been sent yet: use “Send”.',
  },
  noIntake: {
    es: 'Este documento no llegó por una fuente de resultados y no se puede enviar desde aquí.',
    en: 'This document did not come from a results source and cannot be sent from here.',
  },
  queued: {
    es: 'Este documento ya está en la cola de envío.',
    en: 'This document is already waiting in the sending queue.',
  },
};

const refusalCodes: Record<keyof typeof refusals, string> = {
  notFound: 'not_found',
  noFile: 'no_file',
  alreadySent: 'already_sent',
  notSentYet: 'not_sent_yet',
  noIntake: 'no_intake',
  queued: 'already_queued',
  noPhone: 'no_phone',
};

const delivered = new Set(['sent', 'delivered', 'read']);

/** Resultados (list, preview, send, resend, por revisar), and Ajustes → Certificado. */
export function resultsHandlers(ctx: HandlerContext, intake: ResultsIntake, pipeline: DocumentPipeline): Handlers {
  const lang = () => ctx.settings.get().language;

  /**
   * A failed attempt goes again through the outbox's resend; one that arrived is copied as a new message. Either way it
   * goes to the patient's number as it is now (a person may just have corrected it), never blindly to the old one.
   */
  const resend = (item: ResultItem): ResultItem => {
    const messageId = item.messageId as number;
    const record = messageRecordOf(ctx.db, messageId);
    const phone = getPatient(ctx.db, item.patientId)?.phoneE164 ?? null;
    if (phone === null) return refuse('noPhone');
    const arrived = item.messageState !== null && delivered.has(item.messageState);
    if (arrived || phone !== record.toPhone) {
      const at = ctx.now();
      ctx.outbox.enqueue(
        { ...record, toPhone: phone, idempotencyKey: `${record.idempotencyKey}:again:${at}`, resendOf: messageId, notBefore: at },
        USER,
      );
    } else {
      ctx.outbox.resend(messageId, USER);
    }
    ctx.audit('result.resent', 'result', item.id, { messageId });
    return mustGetResult(item.id);
  };
  // The intake's refusals carry their reason in both languages; the UI shows it as is.
  const guarded = async (work: () => Promise<unknown> | unknown) => {
    try {
      await work();
    } catch (error) {
      if (error instanceof ResultsIntakeError) throw new HandlerError(error.code, error.reason[lang()]);
      throw error;
    }
    return intake.listReviewQueue(PAGE);
  };

  const refuse = (code: keyof typeof refusals): never => {
    throw new HandlerError(refusalCodes[code], refusals[code][lang()]);
  };
  const mustGetResult = (id: number): ResultItem => getResultItem(ctx.db, id) ?? refuse('notFound');
  const readPdf = (path: string | null): string => {
    if (!path) return refuse('noFile');
    try {
      return readFileSync(path).toString('base64');
    } catch {
      return refuse('noFile');
    }
  };

  return {
    'results.list': (args) =>
      listResults(ctx.db, { limit: args.limit ?? 50, offset: args.offset ?? 0, ...(args.filter ? { filter: args.filter } : {}) }),

    'results.document': (args) => {
      // The file name's date is the site's, as on the patient's phone.
      const timeZone = clinicDefaults(ctx.db).timeZone;
      if (args.of === 'review') {
        const item = intakeFile(ctx.db, args.id) ?? refuse('notFound');
        const prefix = ctx.settings.get().results.kinds[item.kind].filePrefix;
        return { filename: documentFilename(prefix, item.title, ctx.now(), timeZone), base64: readPdf(item.originalFile), signed: false };
      }
      const files = resultFiles(ctx.db, args.id) ?? refuse('notFound');
      const prefix = ctx.settings.get().results.kinds[files.kind].filePrefix;
      // The stored document is what goes to the patient (signed when the rule and certificate allow); before it
      // exists, what arrived.
      const path = files.filePath ?? files.originalFile;
      return {
        filename: documentFilename(prefix, files.title, ctx.now(), timeZone),
        base64: readPdf(path),
        signed: files.filePath !== null && files.signed,
      };
    },

    'results.send': async (args) => {
      const item = mustGetResult(args.id);
      if (item.status === 'sent' || (item.messageState && delivered.has(item.messageState))) refuse('alreadySent');
      if (item.messageState === 'queued' || item.messageState === 'sending') refuse('queued');
      if (item.messageState === 'failed' || item.messageState === 'expired' || item.messageState === 'unknown') {
        return resend(item);
      }
      if (item.intakeId === null) return refuse('noIntake');
      // Sending by hand is the person's approval; the item goes through the same checks and signing as any other.
      await guarded(() => intake.approve(item.intakeId as number, USER));
      return mustGetResult(item.id);
    },

    'results.resend': (args) => {
      const item = mustGetResult(args.id);
      if (item.messageId === null) return refuse('notSentYet');
      if (item.messageState === 'queued' || item.messageState === 'sending') return refuse('queued');
      return resend(item);
    },

    'documents.issue': async (args) => {
      try {
        return await issueDocument(
          {
            db: ctx.db,
            intake,
            clinicName: () => ctx.settings.get().clinicName,
            language: lang,
            timeZone: () => clinicDefaults(ctx.db).timeZone,
            now: ctx.now,
          },
          args,
          USER,
        );
      } catch (error) {
        if (error instanceof IssueError) throw new HandlerError(error.code, error.reason[lang()]);
        if (error instanceof ResultsIntakeError) throw new HandlerError(error.code, error.reason[lang()]);
        throw error;
      }
    },

    'results.review': (args) => intake.listReviewQueue({ limit: args.limit ?? 100, offset: args.offset ?? 0 }),
    'results.fix': (args) => guarded(() => intake.fix(args, USER)),
    'results.approve': (args) => guarded(() => intake.approve(args.id, USER)),
    'results.retry': (args) => guarded(() => intake.retry(args.id, USER)),
    'results.dismiss': (args) => {
      try {
        intake.dismiss(args.id, USER);
      } catch (error) {
        if (error instanceof ResultsIntakeError) throw new HandlerError(error.code, error.reason[lang()]);
        throw error;
      }
      return intake.listReviewQueue(PAGE);
    },
    'certificate.info': () => certificateView(pipeline.certificateStatus()),
    'certificate.install': (args) => {
      const p12 = Buffer.from(args.base64, 'base64');
      const view = inspectCertificate({ p12, password: args.password }, ctx.now());
      // Only a certificate that opens and is valid today is kept; a wrong password or an expired file is shown, not saved.
      if (view.configured && view.ok) {
        ctx.settings.setSecret('certificate.p12', args.base64);
        ctx.settings.setSecret('certificate.password', args.password);
        pipeline.reloadCertificate();
        ctx.audit('certificate.installed', 'certificate', view.info.fingerprintSha256);
      } else {
        // A refused attempt is evidence too (who tried which file); the password never is.
        ctx.audit('certificate.install_refused', 'certificate', view.configured && view.info ? view.info.fingerprintSha256 : null, {
          code: view.configured && !view.ok ? view.code : null,
        });
      }
      return view;
    },
  };
}
