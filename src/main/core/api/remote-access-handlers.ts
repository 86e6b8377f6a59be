import type { HandlerContext, HandlersFor } from './handler-context';
import { servedCertificateView } from './tls-certificate';

/** Ajustes → Acceso remoto: the HTTPS certificate server mode serves, so the clinic's IT can check the browser's warning. */
export function remoteAccessHandlers(ctx: HandlerContext): HandlersFor<'remoteAccess.certificate'> {
  return {
    'remoteAccess.certificate': () => servedCertificateView(ctx.servedCertificate ?? null),
  };
}
