import type { SettingsView } from '../../../../shared/settings';

type Cloud = SettingsView['cloudApi'];

/** The form as typed: every field a string; the pause between messages to one person is in seconds. */
export interface CloudDraft {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  wabaId: string;
  maxPerSecond: string;
  recipientGapSeconds: string;
  fallbackTemplate: string;
  documentTemplate: string;
  retryBaseSeconds: string;
  templateLanguage: string;
  webhookPort: string;
}

export type CloudField = keyof CloudDraft;

export const CLOUD_FIELDS: CloudField[] = [
  'baseUrl',
  'apiVersion',
  'phoneNumberId',
  'wabaId',
  'maxPerSecond',
  'recipientGapSeconds',
  'fallbackTemplate',
  'documentTemplate',
  'retryBaseSeconds',
  'templateLanguage',
  'webhookPort',
];

export const NUMERIC_FIELDS: ReadonlySet<CloudField> = new Set(['maxPerSecond', 'recipientGapSeconds', 'retryBaseSeconds', 'webhookPort']);

export function draftOf(c: Cloud): CloudDraft {
  return {
    baseUrl: c.baseUrl,
    apiVersion: c.apiVersion,
    phoneNumberId: c.phoneNumberId,
    wabaId: c.wabaId,
    maxPerSecond: String(c.maxPerSecond),
    recipientGapSeconds: String(c.recipientGapMs / 1000),
    fallbackTemplate: c.fallbackTemplate,
    documentTemplate: c.documentTemplate,
    retryBaseSeconds: String(c.retryBaseSeconds),
    templateLanguage: c.templateLanguage,
    webhookPort: String(c.webhookPort),
  };
}

const MAX_GAP_SECONDS = 60;

/** Checks the draft the way the core will; returns the settings or the fields that are wrong. */
export function parseDraft(d: CloudDraft): { ok: true; value: Cloud } | { ok: false; invalid: Set<CloudField> } {
  const invalid = new Set<CloudField>();
  const int = (field: CloudField, text: string, min: number, max: number): number => {
    const n = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) invalid.add(field);
    return n;
  };
  if (!isHttpUrl(d.baseUrl.trim())) invalid.add('baseUrl');
  if (!/^v\d+\.\d+$/.test(d.apiVersion.trim())) invalid.add('apiVersion');
  const maxPerSecond = int('maxPerSecond', d.maxPerSecond, 1, 1000);
  const gapText = d.recipientGapSeconds.trim().replace(',', '.');
  const gap = Number(gapText);
  if (!/^\d+(\.\d+)?$/.test(gapText) || gap > MAX_GAP_SECONDS) invalid.add('recipientGapSeconds');
  const webhookPort = int('webhookPort', d.webhookPort, 1, 65535);
  const retryBaseSeconds = int('retryBaseSeconds', d.retryBaseSeconds, 1, 3600);
  if (invalid.size) return { ok: false, invalid };
  return {
    ok: true,
    value: {
      baseUrl: d.baseUrl.trim(),
      apiVersion: d.apiVersion.trim(),
      phoneNumberId: d.phoneNumberId.trim(),
      wabaId: d.wabaId.trim(),
      maxPerSecond,
      recipientGapMs: Math.round(gap * 1000),
      fallbackTemplate: d.fallbackTemplate.trim(),
      documentTemplate: d.documentTemplate.trim(),
      retryBaseSeconds,
      templateLanguage: d.templateLanguage.trim(),
      webhookPort,
    },
  };
}

/** Only what differs from the saved settings, so saving one field does not rewrite the others. */
export function changedFields(next: Cloud, saved: Cloud): Partial<Cloud> {
  const patch: Partial<Cloud> = {};
  for (const key of Object.keys(next) as (keyof Cloud)[]) {
    if (next[key] !== saved[key]) Object.assign(patch, { [key]: next[key] });
  }
  return patch;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
