import type { Reason } from '../documents/texts';
import type { IncomingResult } from './incoming-result';

/**
 * One rule for results that arrive from another system (HL7, the clinic's database): a source says "approved", but
 * nothing proves who wrote that row or message. Unless the clinic declared the source trusted, the result waits in
 * Por revisar for a person's approval (and, where its kind needs it, a professional's validation) before it is signed
 * and sent.
 */
export function heldUnlessTrusted(incoming: IncomingResult, trusted: boolean): IncomingResult {
  return trusted ? incoming : { ...incoming, approved: false };
}

/**
 * Why a result that is not approved waits, in its source's own words: the person at the desk learns where it came
 * from and where the clinic decides to trust that source, instead of one sentence that fits none of them.
 */
export function heldReason(source: string): Reason {
  const approve = { es: 'revise el resultado y apruébelo para firmarlo y enviarlo.', en: 'check the result and approve it to sign and send it.' };
  switch (source) {
    case 'hl7':
      return {
        es: `Llegó por HL7 de un remitente que la clínica no marcó como de confianza (Ajustes → Fuentes de datos → HL7, «Remitentes de confianza»): ${approve.es}`,
        en: `It came from an HL7 sender the clinic has not marked as trusted (Settings → Data sources → HL7, "Trusted senders"): ${approve.en}`,
      };
    case 'clinic-db':
    case 'database':
      return {
        es: `Llegó de la base de datos de la clínica, cuyos resultados aún no se marcaron como de confianza (Ajustes → Fuentes de datos → Base de datos de la clínica): ${approve.es}`,
        en: `It came from the clinic's database, whose results are not marked as trusted yet (Settings → Data sources → Clinic database): ${approve.en}`,
      };
    case 'folder':
      return {
        es: `Llegó a la carpeta compartida sin constar como aprobado: ${approve.es}`,
        en: `It arrived in the shared folder without being marked as approved: ${approve.en}`,
      };
    default:
      return {
        es: 'El origen indica que este resultado aún no está aprobado: apruébelo para firmarlo y enviarlo.',
        en: 'The source says this result is not approved yet: approve it to sign and send it.',
      };
  }
}
