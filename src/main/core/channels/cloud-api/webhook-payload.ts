import type { InboundReply, ProviderStatus } from '../channel';
import { classify, reasonFor } from './error-policy';
import type { Language } from '../../../../shared/domain';

interface StatusJson {
  id?: string;
  status?: string;
  timestamp?: string;
  biz_opaque_callback_data?: string;
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[];
}

interface InboundJson {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  button?: { payload?: string; text?: string };
  interactive?: { type?: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string } };
  context?: { id?: string };
}

interface Envelope {
  object?: string;
  entry?: { changes?: { field?: string; value?: { statuses?: StatusJson[]; messages?: InboundJson[] } }[] }[];
}

const states = new Set(['sent', 'delivered', 'read', 'failed']);

/** Reads the statuses and inbound messages out of one Cloud API webhook body (which may batch many). */
export function parseWebhook(raw: string, language: Language): { statuses: ProviderStatus[]; replies: InboundReply[] } {
  const body = JSON.parse(raw) as Envelope;
  const statuses: ProviderStatus[] = [];
  const replies: InboundReply[] = [];
  if (body.object !== 'whatsapp_business_account') return { statuses, replies };
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages' || !change.value) continue;
      for (const s of change.value.statuses ?? []) {
        if (!s.id || !s.status || !states.has(s.status)) continue;
        const error = s.errors?.[0];
        const ours = /^avisa:(\d+)$/.exec(s.biz_opaque_callback_data ?? '')?.[1];
        const code = error?.code;
        statuses.push({
          providerId: s.id,
          state: s.status as ProviderStatus['state'],
          at: Number(s.timestamp ?? 0) * 1000,
          ourId: ours ? Number(ours) : undefined,
          ...(code !== undefined
            ? {
                errorCode: String(code),
                errorReason: reasonFor(code, language, error?.error_data?.details ?? error?.message ?? error?.title),
                failure: classify(code),
              }
            : {}),
        });
      }
      for (const m of change.value.messages ?? []) {
        if (!m.id || !m.from) continue;
        const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
        replies.push({
          providerMessageId: m.id,
          fromPhone: `+${m.from}`,
          at: Number(m.timestamp ?? 0) * 1000,
          body: m.text?.body ?? m.button?.text ?? reply?.title ?? `[${m.type ?? 'mensaje'}]`,
          payload: m.button?.payload ?? reply?.id,
          inReplyTo: m.context?.id,
        });
      }
    }
  }
  return { statuses, replies };
}
