import type { Language } from '../../../../shared/domain';
import type { FailureClass } from '../channel';

// Meta's error codes, grouped by what Avisa does about them (see the Cloud API error reference).
const transient = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 131057, 133004]);
const window = new Set([131047, 470]);
const account = new Set([0, 3, 10, 104, 190, 368, 131005, 131031, 131042, 131045, 133010]);

export function classify(code: number, httpStatus?: number): FailureClass {
  if (transient.has(code)) return 'transient';
  if (window.has(code)) return 'window';
  if (account.has(code) || (code >= 200 && code <= 299)) return 'account';
  // Unknown server-side trouble is worth another try; an unknown 4xx is not.
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient';
  return 'permanent';
}

type Reason = Record<Language, string>;

const reasons: Record<number, Reason> = {
  4: { es: 'WhatsApp limitó las llamadas de la aplicación; se reintentará.', en: 'WhatsApp throttled the app; it will retry.' },
  80007: { es: 'Se alcanzó el límite de envíos de la cuenta; se reintentará.', en: 'The account rate limit was hit; it will retry.' },
  130429: { es: 'Se superó el ritmo de envío del número; se reintentará.', en: 'The number’s throughput was exceeded; it will retry.' },
  131000: { es: 'WhatsApp tuvo un error desconocido; se reintentará.', en: 'WhatsApp had an unknown error; it will retry.' },
  131016: { es: 'El servicio de WhatsApp no está disponible; se reintentará.', en: 'The WhatsApp service is unavailable; it will retry.' },
  131048: { es: 'WhatsApp frenó los envíos por posible spam; se reintentará más tarde.', en: 'WhatsApp slowed sending as possible spam; it will retry later.' },
  131056: { es: 'Demasiados mensajes seguidos al mismo paciente; se reintentará.', en: 'Too many messages in a row to the same patient; it will retry.' },
  131057: { es: 'WhatsApp está en mantenimiento; se reintentará.', en: 'WhatsApp is under maintenance; it will retry.' },
  131047: { es: 'Pasaron más de 24 horas desde que el paciente escribió: se envía como plantilla.', en: 'More than 24 hours since the patient wrote: sent as a template.' },
  470: { es: 'Pasaron más de 24 horas desde que el paciente escribió: se envía como plantilla.', en: 'More than 24 hours since the patient wrote: sent as a template.' },
  131026: { es: 'El número no tiene WhatsApp, tiene una versión antigua o bloqueó a la clínica.', en: 'The number is not on WhatsApp, has an old version, or blocked the clinic.' },
  131021: { es: 'El destinatario es el mismo número de la clínica.', en: 'The recipient is the clinic’s own number.' },
  131049: { es: 'WhatsApp retuvo este mensaje de marketing; no se reintenta pronto.', en: 'WhatsApp held back this marketing message; not retried soon.' },
  100: { es: 'WhatsApp rechazó un dato del mensaje (parámetro no válido).', en: 'WhatsApp rejected a field of the message (invalid parameter).' },
  131008: { es: 'Falta un dato obligatorio en el mensaje.', en: 'A required field is missing from the message.' },
  131009: { es: 'Un dato del mensaje no tiene un valor válido.', en: 'A field of the message has an invalid value.' },
  131051: { es: 'WhatsApp no admite este tipo de mensaje.', en: 'WhatsApp does not support this message type.' },
  131052: { es: 'No se pudo descargar el archivo del paciente.', en: 'The patient’s media could not be downloaded.' },
  131053: { es: 'No se pudo subir el documento a WhatsApp.', en: 'The document could not be uploaded to WhatsApp.' },
  132000: { es: 'La plantilla espera otro número de datos: revise la plantilla en Ajustes.', en: 'The template expects a different number of parameters: check it in Settings.' },
  132001: { es: 'La plantilla no existe en ese idioma: revise el nombre en Ajustes.', en: 'The template does not exist in that language: check its name in Settings.' },
  132005: { es: 'El texto de la plantilla con sus datos es demasiado largo.', en: 'The template text with its parameters is too long.' },
  132007: { es: 'La plantilla infringe las políticas de WhatsApp.', en: 'The template breaks WhatsApp’s policies.' },
  132012: { es: 'Un dato de la plantilla tiene un formato no válido.', en: 'A template parameter has an invalid format.' },
  132018: { es: 'Un dato de la plantilla tiene saltos de línea o demasiados espacios.', en: 'A template parameter has line breaks or too many spaces.' },
  132015: { es: 'La plantilla está pausada por baja calidad.', en: 'The template is paused for low quality.' },
  132016: { es: 'La plantilla fue desactivada por WhatsApp.', en: 'The template was disabled by WhatsApp.' },
  190: { es: 'El token de acceso venció o no es válido: cargue uno nuevo en Ajustes y reanude.', en: 'The access token expired or is invalid: enter a new one in Settings and resume.' },
  368: { es: 'La cuenta fue bloqueada temporalmente por WhatsApp por políticas.', en: 'WhatsApp temporarily blocked the account for policy reasons.' },
  131031: { es: 'La cuenta de WhatsApp Business está bloqueada.', en: 'The WhatsApp Business account is locked.' },
  131042: { es: 'Hay un problema con el método de pago de la cuenta.', en: 'There is a problem with the account’s payment method.' },
  133010: { es: 'El número de la clínica no está registrado en WhatsApp.', en: 'The clinic’s number is not registered on WhatsApp.' },
};

const byClass: Record<FailureClass, Reason> = {
  transient: { es: 'Error temporal de WhatsApp; se reintentará.', en: 'Temporary WhatsApp error; it will retry.' },
  window: reasons[131047] as Reason,
  permanent: { es: 'WhatsApp rechazó el mensaje.', en: 'WhatsApp rejected the message.' },
  account: { es: 'WhatsApp rechazó la cuenta o el token: revise Ajustes y reanude.', en: 'WhatsApp refused the account or token: check Settings and resume.' },
  ambiguous: {
    es: 'Se cortó la conexión y no se sabe si WhatsApp recibió el mensaje.',
    en: 'The connection broke and it is not known whether WhatsApp got the message.',
  },
};

/** A reason a receptionist understands, with Meta's own words kept after it for whoever fixes the cause. */
export function reasonFor(code: number, language: Language, providerDetail?: string): string {
  const base = (reasons[code] ?? byClass[classify(code)])[language];
  return providerDetail ? `${base} (${providerDetail})` : base;
}

/** The request was written and the connection broke before Meta answered: only its status webhook can tell. */
export const unconfirmedReason: Reason = {
  es: 'Se cortó la conexión después de enviar el pedido a WhatsApp: no se sabe si lo recibió; su confirmación lo dirá.',
  en: 'The connection broke after the request went to WhatsApp: it is not known whether it arrived; its confirmation will tell.',
};

export const networkReason: Reason = {
  es: 'No se pudo conectar con WhatsApp (red); se reintentará.',
  en: 'Could not reach WhatsApp (network); it will retry.',
};

/** The computer has no way out (no DNS, no route): said plainly, the system's code goes to the details line. */
export const offlineReason: Reason = {
  es: 'Sin conexión a internet: los mensajes esperan en cola y salen al volver la conexión.',
  en: 'No internet connection: messages wait in the queue and go when the connection is back.',
};

const offlineCauses = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH']);

/** A failure to reach Meta in words, and a code for the details line (e.g. network:ENOTFOUND). */
export function networkFailure(cause: string, language: Language): { code: string; reason: string } {
  if (offlineCauses.has(cause)) return { code: `network:${cause}`, reason: offlineReason[language] };
  return { code: `network:${cause}`, reason: networkReason[language] };
}
