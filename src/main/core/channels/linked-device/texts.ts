import type { Language } from '../../../../shared/domain';

type Text = Record<Language, string>;

// Words a receptionist reads in the header, the tray and a message's timeline.
export const texts = {
  notLinked: {
    es: 'Vincule el teléfono de la clínica (Ajustes → WhatsApp en el teléfono) para enviar.',
    en: 'Link the clinic’s phone (Settings → WhatsApp on the phone) to send.',
  },
  connecting: { es: 'Conectando con WhatsApp en el teléfono…', en: 'Connecting to WhatsApp on the phone…' },
  loggedOut: {
    es: 'El teléfono cerró la sesión de Avisa en WhatsApp. Vincúlelo de nuevo con el código QR.',
    en: 'The phone logged Avisa out of WhatsApp. Link it again with the QR code.',
  },
  replaced: {
    es: 'Otra sesión de WhatsApp Web con esta misma vinculación tomó el control y Avisa dejó de enviar. Si fue un error, pulse «Usar aquí».',
    en: 'Another WhatsApp Web session with this same link took over and Avisa stopped sending. If that was a mistake, press “Use here”.',
  },
  qrExpired: {
    es: 'El código QR venció sin ser escaneado. Pida uno nuevo para vincular el teléfono.',
    en: 'The QR code expired without being scanned. Ask for a new one to link the phone.',
  },
  notConnected: {
    es: 'El teléfono de la clínica no está conectado; el mensaje espera en la cola.',
    en: 'The clinic’s phone is not connected; the message waits in the queue.',
  },
  documentMissing: {
    es: 'No se pudo leer el documento {detail}.',
    en: 'The document {detail} could not be read.',
  },
  notPdf: {
    es: 'El archivo {detail} no es un PDF válido: no se envía para no llegar dañado al paciente.',
    en: 'The file {detail} is not a valid PDF: it is not sent, so it does not reach the patient damaged.',
  },
  sendFailed: {
    es: 'WhatsApp en el teléfono no aceptó el mensaje; se reintentará ({detail}).',
    en: 'WhatsApp on the phone did not accept the message; it will retry ({detail}).',
  },
  unconfirmed: {
    es: 'Se cortó la conexión con el teléfono y no se sabe si el mensaje salió ({detail}).',
    en: 'The connection to the phone broke and it is not known whether the message left ({detail}).',
  },
  failed463: {
    es: 'WhatsApp no dejó iniciar este chat (463): el número de la clínica puede estar restringido para contactos nuevos.',
    en: 'WhatsApp did not allow starting this chat (463): the clinic’s number may be restricted for new contacts.',
  },
  failedOther: {
    es: 'WhatsApp no pudo entregar el mensaje (código {detail}).',
    en: 'WhatsApp could not deliver the message (code {detail}).',
  },
  pausedSpike: {
    es: 'Envío por el teléfono en pausa: WhatsApp rechazó {detail} mensajes seguidos. Revise el teléfono y reanude cuando esté bien.',
    en: 'Sending through the phone is paused: WhatsApp refused {detail} messages in a row. Check the phone and resume when it is fine.',
  },
  pausedTimelock: {
    es: 'WhatsApp restringió por un tiempo los mensajes nuevos de este número; Avisa reanuda solo cuando termine.',
    en: 'WhatsApp restricted new messages from this number for a while; Avisa resumes by itself when it ends.',
  },
  dailyCap: {
    es: 'Se alcanzó el límite diario de {detail} mensajes por el teléfono; se reanuda mañana.',
    en: 'The daily limit of {detail} messages through the phone was reached; sending resumes tomorrow.',
  },
  firstContactCap: {
    es: 'Se alcanzó el límite diario de {detail} mensajes a personas que nunca escribieron a la clínica; se reanuda mañana.',
    en: 'The daily limit of {detail} messages to people who never wrote to the clinic was reached; it resumes tomorrow.',
  },
  updateRequired: {
    es: 'Hace falta actualizar: WhatsApp rechazó la versión de WhatsApp Web con la que Avisa se conecta (405). Actualice Avisa; pulse «Reconectar» para intentarlo otra vez. Versión usada: {detail}.',
    en: 'An update is needed: WhatsApp refused the WhatsApp Web version Avisa connects with (405). Update Avisa; press “Reconnect” to try again. Version used: {detail}.',
  },
  accountTempBanned: {
    es: 'WhatsApp suspendió por un tiempo el número de la clínica (402) y Avisa dejó de conectarse. Abra WhatsApp en el teléfono para ver hasta cuándo; no reconecte antes.',
    en: 'WhatsApp suspended the clinic’s number for a while (402) and Avisa stopped connecting. Open WhatsApp on the phone to see until when; do not reconnect before that.',
  },
  accountForbidden: {
    es: 'WhatsApp no deja conectarse a este número (403): puede estar bloqueado. Avisa dejó de intentarlo. Revise WhatsApp en el teléfono; si el número está bloqueado, apele desde la app antes de volver a vincular.',
    en: 'WhatsApp does not let this number connect (403): it may be banned. Avisa stopped trying. Check WhatsApp on the phone; if the number is banned, appeal from the app before linking again.',
  },
  accountUnknownLogout: {
    es: 'WhatsApp cerró la sesión de este número sin decir por qué (406) y Avisa dejó de conectarse. Revise WhatsApp en el teléfono y vuelva a vincular si hace falta.',
    en: 'WhatsApp closed this number’s session without saying why (406) and Avisa stopped connecting. Check WhatsApp on the phone and link again if needed.',
  },
  pairingInterrupted: {
    es: 'Se cortó la conexión antes de terminar la vinculación. Pida un código nuevo para vincular el teléfono.',
    en: 'The connection broke before linking finished. Ask for a new code to link the phone.',
  },
  unlinkPending: {
    es: 'Avisa se desvinculará del teléfono en cuanto vuelva la conexión y no envía nada mientras tanto. Si no puede esperar, quítelo en el teléfono: WhatsApp → Dispositivos vinculados.',
    en: 'Avisa will unlink from the phone as soon as the connection is back and sends nothing meanwhile. If you cannot wait, remove it on the phone: WhatsApp → Linked devices.',
  },
  sessionKeyLost: {
    es: 'No se pudo abrir la sesión de WhatsApp guardada (la clave del sistema cambió). Vincule el teléfono de nuevo y quite la vinculación anterior en el teléfono.',
    en: 'The saved WhatsApp session could not be opened (the system key changed). Link the phone again and remove the old link on the phone.',
  },
  noWhatsApp: {
    es: 'El número {detail} no tiene WhatsApp: el mensaje no se envía. Corrija el teléfono del paciente si es un error.',
    en: 'The number {detail} has no WhatsApp: the message is not sent. Correct the patient’s phone if it is a mistake.',
  },
  lookupFailed: {
    es: 'No se pudo comprobar el número en WhatsApp; se reintentará ({detail}).',
    en: 'The number could not be checked on WhatsApp; it will retry ({detail}).',
  },
  optionsHeader: { es: 'Responda con el número de su opción:', en: 'Reply with the number of your choice:' },
} satisfies Record<string, Text>;

export type TextKey = keyof typeof texts;

export function say(language: Language, key: TextKey, detail?: string | number): string {
  return texts[key][language].replace('{detail}', detail === undefined ? '' : String(detail));
}
