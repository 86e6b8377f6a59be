import type { Language } from '../../../shared/domain';

/** A reason a receptionist can read, in both languages of the UI. */
export type Reason = Record<Language, string>;

export type CertificateErrorCode =
  | 'wrong_password'
  | 'expired'
  | 'not_yet_valid'
  | 'no_private_key'
  | 'key_mismatch'
  | 'no_signing_usage'
  | 'unsupported_key'
  | 'unreadable'
  // A certificate on a token or smart card (PKCS#11):
  | 'pin_needed'
  | 'wrong_pin'
  | 'pin_locked'
  | 'token_missing'
  | 'token_module'
  | 'no_token_key'
  | 'token_error';

export type SignErrorCode =
  | CertificateErrorCode
  | 'invalid_pdf'
  | 'encrypted_pdf'
  | 'locked_pdf'
  | 'certified_pdf'
  | 'invalid_options'
  | 'tsa_unavailable'
  | 'revoked'
  | 'revocation_unavailable'
  | 'signature_failed';

const day = (d: Date): string => d.toISOString().slice(0, 10);

export const certificateReasons = {
  /** `typed`: a person is installing the file and just typed it; `saved`: the password kept in the settings. */
  wrong_password: (which: 'typed' | 'saved' = 'saved'): Reason =>
    which === 'typed'
      ? {
          es: 'Contraseña incorrecta: el certificado (.p12/.pfx) no se abre con la contraseña escrita. Revise mayúsculas y el teclado.',
          en: 'Wrong password: the certificate (.p12/.pfx) does not open with the password you typed. Check capitals and the keyboard layout.',
        }
      : {
          es: 'Contraseña incorrecta: el certificado (.p12/.pfx) no se pudo abrir con la contraseña guardada.',
          en: 'Wrong password: the certificate (.p12/.pfx) could not be opened with the saved password.',
        },
  expired: (notAfter: Date): Reason => ({
    es: `Certificado vencido: dejó de ser válido el ${day(notAfter)}. Solicite uno nuevo a su entidad de certificación.`,
    en: `Certificate expired: it stopped being valid on ${day(notAfter)}. Request a new one from your certification authority.`,
  }),
  not_yet_valid: (notBefore: Date): Reason => ({
    es: `El certificado aún no es válido: empieza a regir el ${day(notBefore)}. Revise la fecha y hora del equipo.`,
    en: `The certificate is not valid yet: it starts on ${day(notBefore)}. Check this computer's date and time.`,
  }),
  no_private_key: (): Reason => ({
    es: 'El archivo no contiene la clave privada: exporte el certificado incluyendo la clave privada (.p12/.pfx).',
    en: 'The file has no private key: export the certificate including its private key (.p12/.pfx).',
  }),
  key_mismatch: (): Reason => ({
    es: 'La clave privada del archivo no corresponde a ningún certificado que contiene.',
    en: 'The private key in the file does not match any certificate it contains.',
  }),
  no_signing_usage: (): Reason => ({
    es: 'El certificado no permite firma digital (sin uso de firma digital ni de no repudio).',
    en: 'The certificate does not allow digital signatures (no digitalSignature or nonRepudiation key usage).',
  }),
  unsupported_key: (kind: string): Reason => ({
    es: `Tipo de clave no soportado para firmar (${kind}); se admiten RSA y ECDSA.`,
    en: `Key type not supported for signing (${kind}); RSA and ECDSA are supported.`,
  }),
  unreadable: (detail: string): Reason => ({
    es: `No se pudo leer el certificado: no parece un archivo .p12/.pfx válido (${detail}).`,
    en: `The certificate could not be read: it does not look like a valid .p12/.pfx file (${detail}).`,
  }),
};

export const tokenReasons = {
  pin_needed: (): Reason => ({
    es: 'Firma con token o DNIe: escriba el PIN («Firmar pendientes») para firmar los documentos en espera.',
    en: 'Signing with a token or DNIe: type the PIN (“Sign pending”) to sign the documents that wait.',
  }),
  wrong_pin: (): Reason => ({
    es: 'PIN incorrecto: no se firmó nada. Avisa no lo vuelve a intentar para no bloquear el token; escríbalo de nuevo con cuidado.',
    en: 'Wrong PIN: nothing was signed. Avisa does not try again so the token is not locked; type it again carefully.',
  }),
  pin_locked: (): Reason => ({
    es: 'El PIN del token está bloqueado por intentos fallidos: desbloquéelo con el PUK o la herramienta de su proveedor.',
    en: 'The token’s PIN is locked after failed attempts: unlock it with the PUK or your provider’s tool.',
  }),
  token_missing: (): Reason => ({
    es: 'El token o la tarjeta (DNIe) no está conectado: conéctelo y vuelva a «Firmar pendientes».',
    en: 'The token or card (DNIe) is not connected: plug it in and use “Sign pending” again.',
  }),
  token_module: (path: string): Reason => ({
    es: `No se pudo cargar el controlador PKCS#11 del token (${path}): revise que el software del token o del DNIe esté instalado.`,
    en: `The token’s PKCS#11 driver could not be loaded (${path}): check that the token or DNIe software is installed.`,
  }),
  no_token_key: (): Reason => ({
    es: 'El certificado elegido ya no está en el token, o no tiene su clave privada: elíjalo de nuevo en Ajustes.',
    en: 'The chosen certificate is no longer on the token, or has no private key: choose it again in Settings.',
  }),
  token_error: (detail: string): Reason => ({
    es: `El token no pudo firmar (${detail}).`,
    en: `The token could not sign (${detail}).`,
  }),
};

export const signReasons = {
  invalid_pdf: (detail: string): Reason => ({
    es: `El archivo no es un PDF válido (${detail}); no se firma ni se envía.`,
    en: `The file is not a valid PDF (${detail}); it is neither signed nor sent.`,
  }),
  encrypted_pdf: (): Reason => ({
    es: 'El PDF está protegido con contraseña o cifrado; guárdelo sin protección para poder firmarlo.',
    en: 'The PDF is password-protected or encrypted; save it without protection so it can be signed.',
  }),
  locked_pdf: (): Reason => ({
    es: 'El PDF fue certificado sin permitir más cambios: una nueva firma invalidaría la del laboratorio.',
    en: 'The PDF was certified allowing no further changes: a new signature would invalidate the lab’s one.',
  }),
  certified_pdf: (): Reason => ({
    es: 'El PDF fue certificado por quien lo emitió y la clínica eligió no firmar documentos certificados.',
    en: 'The PDF was certified by its issuer and the clinic chose not to sign certified documents.',
  }),
  invalid_options: (detail: string): Reason => ({
    es: `Configuración de firma inválida: ${detail}.`,
    en: `Invalid signing settings: ${detail}.`,
  }),
  tsa_unavailable: (detail: string): Reason => ({
    es: `No se obtuvo el sello de tiempo del servidor TSA configurado (${detail}); el documento no se firmó.`,
    en: `No timestamp could be obtained from the configured TSA server (${detail}); the document was not signed.`,
  }),
  tsa_skipped: (detail: string): Reason => ({
    es: `No se obtuvo el sello de tiempo del servidor TSA (${detail}); el documento se firmó sin sello de tiempo (PAdES B-B).`,
    en: `No timestamp could be obtained from the TSA server (${detail}); the document was signed without one (PAdES B-B).`,
  }),
  revoked: (subject: string): Reason => ({
    es: `El certificado «${subject}» está revocado según su entidad de certificación: no se firma con él. Solicite uno nuevo.`,
    en: `The certificate “${subject}” is revoked according to its certification authority: it is not used to sign. Request a new one.`,
  }),
  revocation_unavailable: (detail: string): Reason => ({
    es: `No se pudo comprobar si el certificado está vigente (OCSP/CRL: ${detail}); el documento espera para firmarse con validación a largo plazo.`,
    en: `Could not check whether the certificate is still valid (OCSP/CRL: ${detail}); the document waits to be signed with long-term validation.`,
  }),
  revocation_skipped: (detail: string): Reason => ({
    es: `No se pudo obtener la validación del certificado (OCSP/CRL: ${detail}); el documento se firmó sin validación a largo plazo (PAdES B-T).`,
    en: `The certificate's validation data could not be obtained (OCSP/CRL: ${detail}); the document was signed without long-term validation (PAdES B-T).`,
  }),
  signature_failed: (detail: string): Reason => ({
    es: `No se pudo firmar el documento (${detail}).`,
    en: `The document could not be signed (${detail}).`,
  }),
};

/** Why a document that does not open waits in review: broken, encrypted, or locked by its issuer's certification. */
export function openRefusal(
  code: 'invalid_pdf' | 'encrypted_pdf' | 'locked_pdf',
  detail: string,
): { code: 'invalid_pdf' | 'locked_pdf'; reason: Reason } {
  if (code === 'locked_pdf') return { code: 'locked_pdf', reason: signReasons.locked_pdf() };
  if (code === 'encrypted_pdf') return { code: 'invalid_pdf', reason: signReasons.encrypted_pdf() };
  return { code: 'invalid_pdf', reason: signReasons.invalid_pdf(detail) };
}

/** A professional's own credential (their token or .p12): the reason names them, so the desk knows whom to call. */
export const professionalReasons = {
  secret_needed: (name: string): Reason => ({
    es: `Espera la firma de ${name}: debe escribir el PIN de su token o la contraseña de su certificado («Firmar mis pendientes»).`,
    en: `Waiting for ${name}'s signature: they must type their token PIN or certificate password (“Sign my pending”).`,
  }),
  unusable: (name: string, reason: Reason): Reason => ({
    es: `No se pudo usar la firma de ${name}: ${reason.es}`,
    en: `${name}'s signature could not be used: ${reason.en}`,
  }),
  not_professional: (): Reason => ({
    es: 'Solo una persona con rol de profesional de salud y número de colegiatura puede tener una firma propia.',
    en: 'Only a person with the health professional role and a registry number can hold their own signature.',
  }),
  none: (): Reason => ({
    es: 'Usted no tiene una firma propia vinculada: sus validaciones se firman con el certificado de la clínica.',
    en: 'You have no signature of your own linked: your validations are signed with the clinic’s certificate.',
  }),
};
