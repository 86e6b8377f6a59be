import type { OutgoingMessage } from '../channel';

export interface TemplateChoice {
  name: string;
  language: string;
  params: string[];
}

/** Meta refuses template parameters with new lines, tabs or long runs of spaces (132012). */
export function templateText(value: string): string {
  return value.replace(/[\n\r\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** The templates that carry a message when the 24-hour window is closed: one for text, one with a document header. */
export interface FallbackTemplates {
  name: string;
  language: string;
  /** Takes the PDF as its header and the caption (or the file name) as its one body parameter. */
  documentName: string;
}

/**
 * Which template a message goes as: its own, or, when the 24-hour window closed, the fallback carrying its text, or
 * the document template carrying its PDF (a text template cannot take a document header: Meta answers 132000).
 */
export function templateFor(m: OutgoingMessage, fallback: FallbackTemplates): TemplateChoice | null {
  if (m.templateName) {
    return { name: m.templateName, language: m.templateLanguage ?? fallback.language, params: m.templateParams };
  }
  if (!m.asTemplate) return null;
  if (m.document) {
    return { name: fallback.documentName, language: fallback.language, params: [m.body || m.document.filename] };
  }
  return { name: fallback.name, language: fallback.language, params: [m.body] };
}

/** A template's URL button with a dynamic part: which button, and the suffix that replaces its {{1}}. */
export interface UrlButtonParam {
  index: number;
  suffix: string;
}

/**
 * The part of `link` that a button URL such as https://portal.clinica.pe/r/{{1}} leaves to the message. Meta
 * appends the suffix to the fixed start it approved, so a link that does not begin (and end) like the button's URL
 * cannot be carried by that button: null then. A button without {{1}} is fixed: 'static'.
 */
export function urlButtonSuffix(buttonUrl: string, link: string): string | 'static' | null {
  const at = buttonUrl.search(/\{\{\s*1\s*\}\}/);
  if (at < 0) return 'static';
  const placeholder = /\{\{\s*1\s*\}\}/.exec(buttonUrl.slice(at))?.[0] ?? '{{1}}';
  const prefix = buttonUrl.slice(0, at);
  const postfix = buttonUrl.slice(at + placeholder.length);
  if (!link.startsWith(prefix) || !link.endsWith(postfix)) return null;
  const suffix = link.slice(prefix.length, link.length - postfix.length);
  return suffix ? suffix : null;
}

/** The JSON body of POST /{phone-number-id}/messages for one outgoing message. */
export function messageBody(
  m: OutgoingMessage,
  template: TemplateChoice | null,
  mediaId: string | null,
  urlButton: UrlButtonParam | null = null,
): Record<string, unknown> {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: m.toPhone.replace(/^\+/, ''),
    // Echoed back in every status webhook for this message: how a crash in `sending` is reconciled.
    biz_opaque_callback_data: `avisa:${m.id}`,
  };
  if (template) {
    const components: Record<string, unknown>[] = [];
    if (mediaId && m.document) {
      components.push({
        type: 'header',
        parameters: [{ type: 'document', document: { id: mediaId, filename: m.document.filename } }],
      });
    }
    if (template.params.length) {
      components.push({
        type: 'body',
        parameters: template.params.map((text) => ({ type: 'text', text: templateText(text) })),
      });
    }
    // Quick replies take the template's button positions in order, skipping the URL button's.
    let position = 0;
    for (const button of m.buttons) {
      if (urlButton && position === urlButton.index) position += 1;
      components.push({
        type: 'button',
        sub_type: 'quick_reply',
        index: String(position),
        parameters: [{ type: 'payload', payload: button.id }],
      });
      position += 1;
    }
    if (urlButton) {
      components.push({
        type: 'button',
        sub_type: 'url',
        index: String(urlButton.index),
        parameters: [{ type: 'text', text: urlButton.suffix }],
      });
    }
    return {
      ...base,
      type: 'template',
      template: { name: template.name, language: { code: template.language }, components },
    };
  }
  if (mediaId && m.document) {
    return {
      ...base,
      type: 'document',
      document: { id: mediaId, filename: m.document.filename, ...(m.body ? { caption: m.body } : {}) },
    };
  }
  if (m.buttons.length) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: m.body },
        action: {
          buttons: m.buttons.slice(0, 3).map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title.slice(0, 20) } })),
        },
      },
    };
  }
  return { ...base, type: 'text', text: { body: m.body, preview_url: false } };
}
