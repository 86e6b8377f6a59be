import type { Language } from '../../shared/domain';

// Words the core itself produces (stored reasons, API errors). The UI has its own dictionaries.
const texts = {
  'phone.empty': { es: 'No hay número de teléfono.', en: 'There is no phone number.' },
  'phone.invalid': { es: 'El número de teléfono no es válido.', en: 'The phone number is not valid.' },
  'phone.not_mobile': {
    es: 'El número parece un teléfono fijo: WhatsApp necesita un celular.',
    en: 'The number looks like a landline: WhatsApp needs a mobile phone.',
  },
  'error.invalid_args': { es: 'Datos no válidos: {detail}', en: 'Invalid data: {detail}' },
  'error.unknown_handler': { es: 'Operación desconocida: {detail}', en: 'Unknown operation: {detail}' },
  'error.not_found': { es: 'No se encontró el registro.', en: 'The record was not found.' },
  'error.internal': {
    es: 'Ocurrió un error inesperado. Se registró el detalle: {detail}',
    en: 'An unexpected error occurred. Details were logged: {detail}',
  },
  'error.already_setup': { es: 'La clínica ya está configurada.', en: 'The clinic is already set up.' },
  'error.duplicate_patient': {
    es: 'Ya existe un paciente con ese documento.',
    en: 'A patient with that document already exists.',
  },
  'error.cannot_resend': {
    es: 'Solo se puede reenviar un mensaje fallido, vencido o sin confirmar.',
    en: 'Only a failed, expired or unconfirmed message can be resent.',
  },
  'error.cannot_cancel': {
    es: 'Solo se puede cancelar un mensaje que aún está en cola.',
    en: 'Only a message still in the queue can be cancelled.',
  },
  'email.not_configured': {
    es: 'Falta el servidor de correo o la dirección del remitente en Ajustes → Correo (SMTP).',
    en: 'The mail server or the sender address is missing in Settings → E-mail (SMTP).',
  },
  'audit.edited': {
    es: 'El evento fue modificado después de registrarse.',
    en: 'The event was modified after it was recorded.',
  },
  'audit.missing_previous': {
    es: 'Falta o se alteró el evento anterior a este.',
    en: 'The event before this one is missing or was altered.',
  },
  'audit.truncated': {
    es: 'Faltan los eventos más recientes: la auditoría llegaba hasta este evento y ya no está completa.',
    en: 'The newest events are missing: the audit trail reached this event and is no longer complete.',
  },
  'audit.rewritten': {
    es: 'La cadena fue rehecha: este evento ya no es el que se registró.',
    en: 'The chain was rebuilt: this event is no longer the one that was recorded.',
  },
  'demo.not_on_whatsapp': {
    es: 'El número no tiene WhatsApp o no se pudo entregar (simulado).',
    en: 'The number is not on WhatsApp or could not be reached (simulated).',
  },
  'message.unconfirmed': {
    es: 'WhatsApp no confirmó este envío tras un corte: verifique con el paciente antes de reenviar.',
    en: 'WhatsApp never confirmed this send after an interruption: check with the patient before resending.',
  },
  'cloud.not_configured': {
    es: 'Falta configurar WhatsApp Cloud API (identificador del número y token de acceso) en Ajustes.',
    en: 'WhatsApp Cloud API is not set up yet (phone number id and access token) in Settings.',
  },
  'message.test_body': {
    es: 'Mensaje de prueba de {detail} enviado con Avisa.',
    en: 'Test message from {detail} sent with Avisa.',
  },
  'error.no_phone': {
    es: 'El paciente no tiene un celular válido: corrija su teléfono en Pacientes.',
    en: 'The patient has no valid mobile number: fix it in Patients.',
  },
  'error.duplicate_rule': {
    es: 'Ya existe un recordatorio con esa anticipación para esa sede y servicio.',
    en: 'A reminder with that lead time already exists for that site and service.',
  },
  'error.not_pdf': { es: 'El archivo no es un PDF.', en: 'The file is not a PDF.' },
  'channel.not_configured': {
    es: 'El canal {detail} aún no está configurado: el mensaje espera en cola.',
    en: 'The {detail} channel is not configured yet: the message waits in the queue.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type TextKey = keyof typeof texts;

export function text(lang: Language, key: TextKey, detail = ''): string {
  return texts[key][lang].replace('{detail}', detail);
}
