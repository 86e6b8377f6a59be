import type { ChannelId, Language, MessageKind } from '../../../shared/domain';

// The clinic's words for what the core's files name with codes (kinds, channels, states, audit actions, templates):
// exports a person opens in Excel or reads on paper say "Recordatorio", never "reminder" or "message.bulk_send".

const kind: Record<MessageKind, Record<Language, string>> = {
  result: { es: 'Resultado', en: 'Result' },
  reminder: { es: 'Recordatorio', en: 'Reminder' },
  document: { es: 'Documento', en: 'Document' },
  campaign: { es: 'Campaña', en: 'Campaign' },
  followup: { es: 'Seguimiento', en: 'Follow-up' },
  manual: { es: 'Manual', en: 'Manual' },
};

const channel: Record<ChannelId, Record<Language, string>> = {
  demo: { es: 'Demo', en: 'Demo' },
  'cloud-api': { es: 'WhatsApp Cloud API', en: 'WhatsApp Cloud API' },
  'linked-device': { es: 'WhatsApp (dispositivo vinculado)', en: 'WhatsApp (linked device)' },
  email: { es: 'Correo electrónico', en: 'E-mail' },
};

const event: Record<string, Record<Language, string>> = {
  queued: { es: 'En cola', en: 'Queued' },
  sending: { es: 'Enviando', en: 'Sending' },
  sent: { es: 'Enviado', en: 'Sent' },
  delivered: { es: 'Entregado', en: 'Delivered' },
  read: { es: 'Leído', en: 'Read' },
  failed: { es: 'Fallido', en: 'Failed' },
  expired: { es: 'Vencido', en: 'Expired' },
  cancelled: { es: 'Cancelado', en: 'Cancelled' },
  unknown: { es: 'Sin confirmar', en: 'Unconfirmed' },
  reply: { es: 'Respuesta', en: 'Reply' },
  'result.validated': { es: 'Validado por profesional de salud', en: 'Validated by a health professional' },
  'message.queued': { es: 'Puesto en cola', en: 'Put in the queue' },
  'message.manual_send': { es: 'Enviado a mano', en: 'Sent by hand' },
  'message.bulk_send': { es: 'Enviado en lote', en: 'Sent in a batch' },
  'message.resend_requested': { es: 'Reenvío pedido', en: 'Resend requested' },
  'message.email_requested': { es: 'Envío por correo pedido', en: 'E-mail copy requested' },
  'message.unconfirmed': { es: 'Sin confirmación de WhatsApp', en: 'Not confirmed by WhatsApp' },
  'message.test_sent': { es: 'Mensaje de prueba', en: 'Test message' },
};

/** Templates Avisa proposes by default, by the name they carry at Meta. */
const template: Record<string, Record<Language, string>> = {
  resultado_listo: { es: 'Resultado listo', en: 'Result ready' },
  certificado_listo: { es: 'Certificado listo', en: 'Certificate ready' },
  constancia_lista: { es: 'Constancia lista', en: 'Attestation ready' },
  recibo_listo: { es: 'Recibo listo', en: 'Receipt ready' },
  recordatorio_cita: { es: 'Recordatorio de cita', en: 'Appointment reminder' },
  aviso_clinica: { es: 'Aviso de la clínica', en: 'Notice from the clinic' },
};

/** "mi_plantilla_2" → "Mi plantilla 2": a clinic's own template name read as words. */
export function humanize(code: string): string {
  const spaced = code.replace(/[_.-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export const labelOf = {
  kind: (k: MessageKind, l: Language): string => kind[k][l],
  channel: (c: ChannelId, l: Language): string => channel[c][l],
  /** A message state, a reply, or an audit action; one Avisa has no words for yet reads as words, not as a code. */
  event: (e: string, l: Language): string => event[e]?.[l] ?? humanize(e.replace(/^message\./, '')),
  template: (name: string, l: Language): string => template[name]?.[l] ?? humanize(name),
};
