import { normalizeMessageContent, type proto } from '@whiskeysockets/baileys';

export type ReplyIntent = 'confirm' | 'cancel' | 'opt_out' | 'unknown';

/** What a patient's message says, as far as Avisa cares. */
export interface ExtractedReply {
  text: string;
  /** The option id behind a tapped button or list row, when the patient's app still shows those. */
  payload?: string;
  /** The WhatsApp id of the message this one quotes (or reacts to). */
  quotedId?: string;
  /** What kind of message it was, for a media message without a caption. */
  kind: 'text' | 'button' | 'list' | 'reaction' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'contact';
}

const clean = (s: string | null | undefined): string => (s ?? '').trim();

/**
 * Text, chosen option and quoted id from the shapes Baileys delivers. Wrappers (disappearing, view once, document
 * with caption, edits) are opened first. Protocol messages, key distribution and poll votes (encrypted) give null.
 */
export function extractReply(raw: proto.IMessage | null | undefined): ExtractedReply | null {
  const m = normalizeMessageContent(raw);
  if (!m) return null;
  const quoted = (info: proto.IContextInfo | null | undefined) => (info?.stanzaId ? { quotedId: info.stanzaId } : {});

  if (m.conversation) return { text: clean(m.conversation), kind: 'text' };
  if (m.extendedTextMessage?.text) {
    return { text: clean(m.extendedTextMessage.text), kind: 'text', ...quoted(m.extendedTextMessage.contextInfo) };
  }
  if (m.buttonsResponseMessage) {
    const r = m.buttonsResponseMessage;
    return {
      text: clean(r.selectedDisplayText ?? r.selectedButtonId),
      kind: 'button',
      ...(r.selectedButtonId ? { payload: r.selectedButtonId } : {}),
      ...quoted(r.contextInfo),
    };
  }
  if (m.templateButtonReplyMessage) {
    const r = m.templateButtonReplyMessage;
    return {
      text: clean(r.selectedDisplayText ?? r.selectedId),
      kind: 'button',
      ...(r.selectedId ? { payload: r.selectedId } : {}),
      ...quoted(r.contextInfo),
    };
  }
  if (m.listResponseMessage) {
    const r = m.listResponseMessage;
    const rowId = r.singleSelectReply?.selectedRowId;
    return {
      text: clean(r.title ?? rowId),
      kind: 'list',
      ...(rowId ? { payload: rowId } : {}),
      ...quoted(r.contextInfo),
    };
  }
  if (m.interactiveResponseMessage?.body?.text) {
    return { text: clean(m.interactiveResponseMessage.body.text), kind: 'button', ...quoted(m.interactiveResponseMessage.contextInfo) };
  }
  if (m.reactionMessage) {
    // An emptied reaction is the patient taking it back: nothing to record.
    const emoji = clean(m.reactionMessage.text);
    if (!emoji) return null;
    return { text: emoji, kind: 'reaction', ...(m.reactionMessage.key?.id ? { quotedId: m.reactionMessage.key.id } : {}) };
  }
  const media: [ExtractedReply['kind'], { caption?: string | null; contextInfo?: proto.IContextInfo | null } | null | undefined][] = [
    ['image', m.imageMessage],
    ['video', m.videoMessage],
    ['document', m.documentMessage],
  ];
  for (const [kind, part] of media) {
    if (part) return { text: clean(part.caption), kind, ...quoted(part.contextInfo) };
  }
  if (m.audioMessage) return { text: '', kind: 'audio', ...quoted(m.audioMessage.contextInfo) };
  if (m.stickerMessage) return { text: '', kind: 'sticker', ...quoted(m.stickerMessage.contextInfo) };
  if (m.locationMessage) return { text: clean(m.locationMessage.name), kind: 'location' };
  if (m.contactMessage) return { text: clean(m.contactMessage.displayName), kind: 'contact' };
  return null;
}

/** Lower case, no accents, no keycap or variation marks ("1️⃣" is "1"), punctuation turned into spaces. */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f\ufe0f\u20e3]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const confirmWords = new Set(['si', 'confirmo', 'confirmar', 'confirmado', 'confirmada', 'confirm', 'yes', '1']);
const cancelWords = new Set(['no', 'cancelar', 'cancelo', 'cancelado', 'cancelada', 'cancel', '2']);
// Courtesy around the answer ("Sí, confirmo, gracias doctora") does not change it.
const filler = new Set([
  'ok', 'okay', 'gracias', 'muchas', 'hola', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'por', 'favor',
  'doctor', 'doctora', 'dr', 'dra', 'claro', 'la', 'cita', 'thanks', 'thank', 'you', 'please', 'the', 'appointment',
]);
// Only the whole message, or an unmistakable phrase: "tengo la presión baja" must not unsubscribe anyone.
const optOutWhole = new Set(['baja', 'stop', 'parar', 'unsubscribe', 'no mas mensajes', 'no enviar mas']);
const optOutPhrases = ['darme de baja', 'dar de baja', 'dame de baja', 'denme de baja', 'quiero la baja'];

/**
 * "sí" / "si" / "confirmo" / "1" → confirm; "no" / "cancelar" / "2" → cancel; "BAJA" / "STOP" → opt-out. Anything
 * mixed or longer is unknown and goes to a person: a wrong guess about an appointment costs more than a read.
 */
export function parseReply(text: string): ReplyIntent {
  const n = normaliseReply(text);
  if (!n) return 'unknown';
  if (optOutWhole.has(n) || optOutPhrases.some((p) => ` ${n} `.includes(` ${p} `))) return 'opt_out';
  const words = n.split(' ').filter((w) => !filler.has(w));
  if (words.length === 0) return 'unknown';
  if (words.every((w) => confirmWords.has(w))) return 'confirm';
  if (words.every((w) => cancelWords.has(w))) return 'cancel';
  return 'unknown';
}

/**
 * The option a reply picks among those the message offered: by its number ("2"), or by meaning (a "sí" picks the
 * CONFIRM option, a "no" the CANCEL one), as a tapped button would on the Cloud API.
 */
export function chosenOption(text: string, options: { id: string; title: string }[]): string | undefined {
  if (options.length === 0) return undefined;
  const n = normaliseReply(text);
  if (/^\d+$/.test(n)) return options[Number(n) - 1]?.id;
  const intent = parseReply(text);
  const prefix = intent === 'confirm' ? 'confirm' : intent === 'cancel' ? 'cancel' : null;
  if (!prefix) return undefined;
  return options.find((o) => o.id.toLowerCase().startsWith(prefix))?.id;
}
