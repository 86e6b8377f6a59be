import { existsSync, readFileSync } from 'node:fs';
import type { ArgsOf, ResultOf } from '../../../shared/api';
import type { SigningHandlers } from '../../../shared/signing-api';
import { TokenError, listTokenCertificates, listTokens } from '../documents/pkcs11-token';
import { signatureReport } from '../documents/signature-report';
import type { TokenCredential } from '../documents/token-credential';
import { resultFiles } from '../store/results-repo';
import { signPendingWithPin } from '../intake/sign-batch';
import type { HandlerContext } from './handler-context';
import { professionalCredentialHandlers } from './professional-credential-handlers';
import { HandlerError } from './handler-error';

type Handlers = { [N in Exclude<keyof SigningHandlers, 'results.validateSigned'>]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

const USER = 'usuario';

/** Where PKCS#11 middleware usually installs its module: OpenSC, SoftHSM, and the common token and DNIe vendors. */
const KNOWN_MODULES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/local/lib/opensc-pkcs11.so',
  '/Library/OpenSC/lib/opensc-pkcs11.so',
  'C:\\Windows\\System32\\opensc-pkcs11.dll',
  '/usr/lib/libeTPkcs11.so',
  'C:\\Windows\\System32\\eTPKCS11.dll',
  '/usr/lib/libIDPrimePKCS11.so',
  'C:\\Windows\\System32\\IDPrimePKCS11.dll',
  '/usr/lib/softhsm/libsofthsm2.so',
];

/** Ajustes → Certificado (token or DNIe), and "Firmar pendientes" in Resultados. */
export function signingHandlers(ctx: HandlerContext, credential: TokenCredential): Handlers {
  const lang = () => ctx.settings.get().language;
  // The driver's refusal in the person's language; anything else is a real error.
  const token = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof TokenError) throw new HandlerError(error.code, error.reason[lang()]);
      throw error;
    }
  };

  return {
    ...professionalCredentialHandlers(ctx),
    'results.signature': async (args) => {
      const files = resultFiles(ctx.db, args.id);
      if (!files?.filePath || !files.signed) {
        throw new HandlerError('not_signed', lang() === 'en' ? 'This document has no signature.' : 'Este documento no tiene firma.');
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(files.filePath);
      } catch {
        throw new HandlerError('no_file', lang() === 'en' ? 'The signed file is no longer on this computer.' : 'El archivo firmado ya no está en el equipo.');
      }
      return signatureReport(bytes);
    },
    'token.modules': () => KNOWN_MODULES.filter((path) => existsSync(path)),
    'token.list': (args) => token(() => listTokens(args.modulePath)),
    'token.certificates': (args) => token(() => listTokenCertificates(args.modulePath, args.tokenSerial, new Date(ctx.now()))),
    'token.use': (args) => {
      credential.lock();
      ctx.settings.update({ signing: { credential: 'token', token: args } });
      ctx.audit('signing.token_chosen', 'certificate', `${args.tokenSerial}:${args.certificateId}`, { holderId: args.holderId });
      return { ok: true };
    },
    'token.signPending': async (args) => {
      const outcome = await signPendingWithPin({ intake: ctx.resultsIntake, credential, actor: USER }, args.pin);
      // Which PIN was typed is never recorded; that one was typed, and what came of it, is.
      ctx.audit('signing.pending_signed', 'certificate', null, outcome.ok ? { signed: outcome.signed, waiting: outcome.waiting } : { code: outcome.code });
      return outcome.ok ? outcome : { ...outcome, reason: outcome.reason[lang()] };
    },
    'token.lock': () => {
      credential.lock();
      return { ok: true };
    },
  };
}
