import type { ArgsOf, ResultOf } from '../../../shared/api';
import { certificateView, inspectCertificate } from '../documents/certificate-cache';
import type { DocumentPipeline } from '../documents/pipeline';
import { ResultsIntakeError, type ResultsIntake } from '../intake/results-intake';
import { HandlerError, type HandlerContext } from './handlers';

type ResultsHandlerName =
  | 'results.review'
  | 'results.fix'
  | 'results.approve'
  | 'results.retry'
  | 'results.dismiss'
  | 'certificate.info'
  | 'certificate.install';

type Handlers = { [N in ResultsHandlerName]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

const USER = 'usuario';
const PAGE = { limit: 100, offset: 0 };

/** Resultados → por revisar, and Ajustes → Certificado. */
export function resultsHandlers(ctx: HandlerContext, intake: ResultsIntake, pipeline: DocumentPipeline): Handlers {
  const lang = () => ctx.settings.get().language;
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

  return {
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
