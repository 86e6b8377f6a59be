import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { Language } from '../../../../shared/domain';
import type { OutgoingMessage } from '../channel';
import { say } from './texts';

/**
 * Buttons do not render on linked devices (WhatsApp shows them only to Cloud API senders), so options become a
 * numbered list the patient answers with a digit. The order is the message's own: option 1 is its first button.
 */
export function withNumberedOptions(body: string, options: { title: string }[], language: Language): string {
  if (options.length === 0) return body;
  const list = options.map((o, i) => `${i + 1}. ${o.title}`).join('\n');
  return `${body.trimEnd()}\n\n${say(language, 'optionsHeader')}\n${list}`;
}

/** A PDF starts with "%PDF-" within its first kilobyte; anything else would reach the patient as a broken file. */
export function looksLikePdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 1024).includes('%PDF-');
}

export type ContentResult =
  | { ok: true; content: AnyMessageContent }
  | { ok: false; code: 'document_missing' | 'not_pdf' | 'empty'; detail: string };

/** What Baileys sends for one outgoing message: text, or a PDF with its file name and the text as caption. */
export async function contentFor(
  m: OutgoingMessage,
  language: Language,
  readFile: (path: string) => Promise<Buffer>,
): Promise<ContentResult> {
  // Templates are a Cloud API notion: on the phone, the text the template would carry goes as it is.
  const text = withNumberedOptions(m.body, m.buttons, language);
  if (m.document) {
    let bytes: Buffer;
    try {
      bytes = await readFile(m.document.path);
    } catch {
      return { ok: false, code: 'document_missing', detail: m.document.path };
    }
    if (!looksLikePdf(bytes)) return { ok: false, code: 'not_pdf', detail: m.document.filename };
    return {
      ok: true,
      content: {
        document: bytes,
        mimetype: 'application/pdf',
        fileName: m.document.filename,
        ...(text ? { caption: text } : {}),
      },
    };
  }
  if (!text.trim()) return { ok: false, code: 'empty', detail: String(m.id) };
  // No link preview: Baileys would fetch any URL in the text from the clinic's machine before sending.
  return { ok: true, content: { text, linkPreview: null } };
}
