import type { Language, MessageKind } from '../../../../shared/domain';

/** What an e-mail copy says: the same words the WhatsApp message carried, as plain text and simple HTML. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const subjects: Record<MessageKind, Record<Language, string>> = {
  result: { es: 'Su resultado está disponible', en: 'Your result is available' },
  reminder: { es: 'Recordatorio de su cita', en: 'Your appointment reminder' },
  document: { es: 'Su documento', en: 'Your document' },
  campaign: { es: 'Información de su clínica', en: 'News from your clinic' },
  followup: { es: 'Seguimiento de su atención', en: 'Follow-up on your visit' },
  manual: { es: 'Mensaje de su clínica', en: 'A message from your clinic' },
};

const footer: Record<Language, string> = {
  es: 'Le escribimos por correo porque no pudimos entregarle este mensaje por WhatsApp.',
  en: 'We are writing by e-mail because we could not deliver this message on WhatsApp.',
};

/** Fills {{1}}, {{2}}… with the template's parameters, as WhatsApp does. */
export function fillTemplate(body: string, params: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => params[Number(n) - 1] ?? whole);
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** WhatsApp's *bold* and _italic_ marks mean nothing in a mail reader: plain text keeps the words only. */
const plain = (s: string): string => s.replace(/\*([^*\n]+)\*/g, '$1').replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1$2');

export function emailContent(input: {
  kind: MessageKind;
  language: Language;
  clinicName: string;
  /** The message's own text (free text, caption, or the parameters joined when it is a template). */
  body: string;
  /** The template's BODY text when the message is a template the clinic has synced. */
  templateBody: string | null;
  templateParams: string[];
  hasDocument: boolean;
  /** A copy of a WhatsApp message says why it came by e-mail; a test does not. */
  isCopy?: boolean;
}): EmailContent {
  const words = input.templateBody ? fillTemplate(input.templateBody, input.templateParams) : input.body;
  const clinic = input.clinicName.trim();
  const subject = clinic ? `${clinic}: ${subjects[input.kind][input.language]}` : subjects[input.kind][input.language];
  const attached =
    input.hasDocument && !words.trim()
      ? input.language === 'es'
        ? 'Adjuntamos su documento en PDF.'
        : 'Your document is attached as a PDF.'
      : '';
  const main = plain(words.trim() || attached);
  const note = input.isCopy === false ? '' : footer[input.language];
  const text = [main, '', '—', clinic, note].filter((l, i) => i < 3 || l).join('\n');
  const paragraphs = main
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1f2933; line-height: 1.45">
${clinic ? `<h2 style="font-size: 17px; margin: 0 0 12px">${escapeHtml(clinic)}</h2>\n` : ''}${paragraphs}
${note ? `<p style="color: #66737f; font-size: 12px; margin-top: 24px">${escapeHtml(note)}</p>` : ''}
</body></html>`;
  return { subject, text, html };
}
