import { readFile } from 'node:fs/promises';
import type { Language } from '../../../../shared/domain';
import type { TemplateRow } from '../../store/templates-repo';
import type { Channel, OutgoingMessage, Prepared, SendFailure } from '../channel';
import { classify, networkFailure, reasonFor, unconfirmedReason } from './error-policy';
import type { GraphClient, GraphError } from './graph-client';
import { messageBody, templateFor, urlButtonSuffix, type FallbackTemplates, type UrlButtonParam } from './message-body';

export interface CloudApiChannelOptions {
  client: GraphClient;
  language: () => Language;
  fallbackTemplate: () => FallbackTemplates;
  /** The synced copy of the WABA's templates, to catch a mismatch before Meta does. */
  findTemplate: (name: string, language: string) => TemplateRow | undefined;
  maxPerSecond: number;
  recipientGapMs: number;
}

const texts = {
  notApproved: {
    es: (name: string, status: string) => `La plantilla «${name}» no está aprobada (estado ${status}).`,
    en: (name: string, status: string) => `The template “${name}” is not approved (status ${status}).`,
  },
  paramCount: {
    es: (name: string, want: number, got: number) =>
      `La plantilla «${name}» espera ${want} datos y el mensaje trae ${got}: revise la plantilla en Ajustes.`,
    en: (name: string, want: number, got: number) =>
      `The template “${name}” expects ${want} parameters and the message has ${got}: check it in Settings.`,
  },
  linkMissing: {
    es: (name: string) =>
      `La plantilla «${name}» tiene un botón con enlace y este mensaje no trae enlace: configure la dirección del portal o del visor en Ajustes → Resultados.`,
    en: (name: string) =>
      `The template “${name}” has a link button and this message has no link: set the portal or viewer address in Settings → Results.`,
  },
  linkMismatch: {
    es: (name: string, button: string, link: string) =>
      `El botón de la plantilla «${name}» abre ${button}, pero el enlace del mensaje es ${link}: la dirección del portal o del visor en Ajustes debe empezar igual que el botón aprobado en Meta.`,
    en: (name: string, button: string, link: string) =>
      `The button of the template “${name}” opens ${button}, but the message's link is ${link}: the portal or viewer address in Settings must start like the button approved at Meta.`,
  },
  headerNeedsDocument: {
    es: (name: string) =>
      `La plantilla «${name}» no tiene encabezado de documento y no puede llevar un PDF: elija en Ajustes una plantilla de documentos aprobada con encabezado de documento.`,
    en: (name: string) =>
      `The template “${name}” has no document header and cannot carry a PDF: choose in Settings an approved document template with a document header.`,
  },
  headerWantsDocument: {
    es: (name: string, format: string) => `La plantilla «${name}» espera un encabezado ${format} y este mensaje no lo trae.`,
    en: (name: string, format: string) => `The template “${name}” expects a ${format} header and this message has none.`,
  },
  fileMissing: {
    es: (path: string) => `No se pudo leer el documento ${path}.`,
    en: (path: string) => `The document ${path} could not be read.`,
  },
};

/** WhatsApp Business Cloud API: documents go up to /media first and are sent by id (no public URL on premise). */
export function cloudApiChannel(o: CloudApiChannelOptions): Channel {
  const fail = (e: GraphError): SendFailure => {
    const lang = o.language();
    if (e.httpStatus === null) {
      // The reason in plain words (no internet, or maybe sent); the low-level error's code goes in the code, the
      // details line.
      const reason = e.ambiguous ? unconfirmedReason[lang] : networkFailure(e.message, lang).reason;
      return { ok: false, code: `network:${e.message}`, reason, failure: e.ambiguous ? 'ambiguous' : 'transient' };
    }
    return { ok: false, code: String(e.code), reason: reasonFor(e.code, lang, e.details ?? e.message), failure: classify(e.code, e.httpStatus) };
  };

  /** The URL button's parameter of the template a message goes as, or why it cannot be filled. */
  const urlButtonFor = (m: OutgoingMessage): { ok: true; param: UrlButtonParam | null } | { ok: false; outcome: SendFailure } => {
    const choice = templateFor(m, o.fallbackTemplate());
    const known = choice && o.findTemplate(choice.name, choice.language);
    if (!choice || !known || known.urlButtonIndex === null || !known.urlButtonUrl) return { ok: true, param: null };
    const lang = o.language();
    if (!m.linkUrl) {
      // A fixed button needs nothing; a dynamic one without a link would be refused by Meta (131008).
      return urlButtonSuffix(known.urlButtonUrl, 'x') === 'static'
        ? { ok: true, param: null }
        : { ok: false, outcome: { ok: false, code: 'template_link', reason: texts.linkMissing[lang](known.name), failure: 'permanent' } };
    }
    const suffix = urlButtonSuffix(known.urlButtonUrl, m.linkUrl);
    if (suffix === 'static') return { ok: true, param: null };
    if (suffix === null) {
      const reason = texts.linkMismatch[lang](known.name, known.urlButtonUrl, m.linkUrl);
      return { ok: false, outcome: { ok: false, code: 'template_link', reason, failure: 'permanent' } };
    }
    return { ok: true, param: { index: known.urlButtonIndex, suffix } };
  };

  const checkTemplate = (m: OutgoingMessage): SendFailure | null => {
    const choice = templateFor(m, o.fallbackTemplate());
    const known = choice && o.findTemplate(choice.name, choice.language);
    if (!choice || !known) return null;
    const lang = o.language();
    if (known.status !== 'APPROVED') {
      return { ok: false, code: 'template_status', reason: texts.notApproved[lang](known.name, known.status), failure: 'permanent' };
    }
    if (known.bodyParams !== choice.params.length) {
      return {
        ok: false,
        code: 'template_params',
        reason: texts.paramCount[lang](known.name, known.bodyParams, choice.params.length),
        failure: 'permanent',
      };
    }
    // A document rides only on a DOCUMENT header, and such a header needs one: Meta answers 132000/132012 otherwise.
    const format = known.headerFormat?.toUpperCase() ?? null;
    if (m.document && format !== 'DOCUMENT') {
      return { ok: false, code: 'template_header', reason: texts.headerNeedsDocument[lang](known.name), failure: 'permanent' };
    }
    if (!m.document && format !== null && format !== 'TEXT') {
      return { ok: false, code: 'template_header', reason: texts.headerWantsDocument[lang](known.name, format), failure: 'permanent' };
    }
    return null;
  };

  /** Checks, then uploads the PDF: everything that may take a while or fail before the message itself goes. */
  const prepare = async (m: OutgoingMessage): Promise<Prepared> => {
    const refused = checkTemplate(m);
    if (refused) return refused;
    const button = urlButtonFor(m);
    if (!button.ok) return button.outcome;
    let mediaId: string | null = null;
    if (m.document) {
      let bytes: Buffer;
      try {
        bytes = await readFile(m.document.path);
      } catch {
        return { ok: false, code: 'document_missing', reason: texts.fileMissing[o.language()](m.document.path), failure: 'permanent' };
      }
      const upload = await o.client.uploadMedia(bytes, 'application/pdf', m.document.filename);
      // An upload that broke midway is safe to repeat: only the message itself must not go twice.
      if (!upload.ok) return fail({ ...upload.error, ambiguous: false });
      mediaId = upload.data.id;
    }
    return { ok: true, request: messageBody(m, templateFor(m, o.fallbackTemplate()), mediaId, button.param) };
  };

  return {
    id: 'cloud-api',
    maxPerSecond: o.maxPerSecond,
    recipientGapMs: o.recipientGapMs,
    prepare,
    async send(m, ready) {
      const prepared = ready ?? (await prepare(m));
      if (!prepared.ok) return prepared;
      const result = await o.client.sendMessage(prepared.request);
      if (!result.ok) return fail(result.error);
      const id = result.data.messages[0]?.id;
      return id ? { ok: true, providerId: id } : { ok: false, code: '131000', reason: reasonFor(131000, o.language()), failure: 'ambiguous' };
    },
    close: () => undefined,
  };
}
