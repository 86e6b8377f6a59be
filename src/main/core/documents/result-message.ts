import { DateTime } from 'luxon';
import type { ChannelId, Language } from '../../../shared/domain';
import type { KindRule } from '../settings/results-settings';
import { kindNouns } from './results-texts';
import type { MessageRecord } from '../store/messages-repo';
import type { PipelineRow } from '../store/results-intake-repo';

export interface ResultMessageInput {
  row: PipelineRow & { phoneE164: string };
  rule: KindRule;
  documentPath: string;
  verificationCode: string | null;
  /** The imaging viewer's link of the result's study. */
  link: string | null;
  /** The patient portal's page of this item. */
  portalLink?: string | null;
  channel: ChannelId;
  templateLanguage: string;
  timeZone: string;
  now: number;
}

/**
 * The outbox row of a result. Its key is `result:<source key>`, so a result reaches the patient once however often
 * its source delivers it. Results go before reminders and campaigns (priority 1).
 */
export function resultMessage(input: ResultMessageInput): MessageRecord {
  const { row, rule, link } = input;
  const portal = input.portalLink ?? null;
  const first = firstName(row.firstNames);
  const withImaging = link !== null && rule.imagingTemplate !== '';
  return {
    kind: row.kind === 'result' ? 'result' : 'document',
    idempotencyKey: `result:${row.sourceKey}`,
    patientId: row.patientId,
    siteId: row.siteId,
    serviceId: row.serviceId,
    appointmentId: null,
    resultId: row.id,
    resendOf: null,
    channel: input.channel,
    toPhone: row.phoneE164,
    templateName: withImaging ? rule.imagingTemplate : rule.template,
    templateLanguage: input.templateLanguage,
    templateParams: withImaging && link ? [first, row.title, link] : [first, row.title],
    body: caption(row.language, first, row.kind, row.title, input.verificationCode, link, portal),
    // A template's URL button opens the portal page when there is one (it shows the images too), else the viewer.
    linkUrl: portal ?? link,
    documentPath: input.documentPath,
    documentFilename: documentFilename(rule.filePrefix, row.title, input.now, input.timeZone),
    priority: 1,
    notBefore: input.now,
  };
}

/** The text beside the document (linked device) and of the message log. */
function caption(
  language: Language,
  first: string,
  kind: PipelineRow['kind'],
  title: string,
  code: string | null,
  link: string | null,
  portal: string | null,
): string {
  const noun = kindNouns[language][kind];
  const lines =
    language === 'en'
      ? [
          `Hello ${first}, your ${noun} "${title}" is ready.`,
          code ? `It is digitally signed; verification code ${code}.` : '',
          link ? `See your images: ${link}` : '',
          portal ? `Open it in the patient portal: ${portal}` : '',
        ]
      : [
          `Hola ${first}, su ${noun} «${title}» ya está disponible.`,
          code ? `Está firmado digitalmente; código de verificación ${code}.` : '',
          link ? `Vea sus imágenes: ${link}` : '',
          portal ? `Ábralo en el portal del paciente: ${portal}` : '',
        ];
  return lines.filter(Boolean).join('\n');
}

function firstName(firstNames: string): string {
  return firstNames.trim().split(/\s+/)[0] ?? firstNames;
}

/**
 * What the patient's phone shows as the file name, e.g. Resultado_Hemograma_completo_2025-03-05.pdf: plain ASCII,
 * since some phones mangle accents in attachment names.
 */
export function documentFilename(prefix: string, title: string, at: number, timeZone: string): string {
  const slug = (text: string): string =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60)
      .replace(/_+$/, '');
  const day = DateTime.fromMillis(at, { zone: timeZone }).toFormat('yyyy-LL-dd');
  return [slug(prefix) || 'Documento', slug(title), day].filter(Boolean).join('_') + '.pdf';
}
