import { postJson } from './graph-post';

export interface GraphConfig {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
}

export interface GraphError {
  /** null when no HTTP answer came back at all. */
  httpStatus: number | null;
  code: number;
  subcode?: number;
  message: string;
  details?: string;
  fbtraceId?: string;
  /** The request may have reached Meta before the connection broke: a retry could send twice. */
  ambiguous?: boolean;
}

export type GraphResult<T> = { ok: true; data: T } | { ok: false; error: GraphError };

export interface SendResponse {
  messaging_product: 'whatsapp';
  contacts?: { input: string; wa_id: string }[];
  messages: { id: string; message_status?: string }[];
}

export interface GraphTemplate {
  id?: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: { type: string; format?: string; text?: string; buttons?: unknown[] }[];
}

export interface PhoneNumberInfo {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating?: string;
}

const TIMEOUT_MS = 20_000;

/** A thin client for the Graph API calls Avisa makes. Base URL and version are settings, so a proxy or a fake fits. */
export function graphClient(config: () => GraphConfig) {
  const url = (path: string) => {
    const c = config();
    return `${c.baseUrl.replace(/\/+$/, '')}/${c.apiVersion}/${path}`;
  };

  async function call<T>(path: string, init: RequestInit): Promise<GraphResult<T>> {
    let response: Response;
    try {
      response = await fetch(url(path), {
        ...init,
        headers: { Authorization: `Bearer ${config().accessToken}`, ...init.headers },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
    return answerOf<T>(response.status, await response.text());
  }

  return {
    /** The one call that must never go twice: it tells a request that never left from one Meta may have. */
    async sendMessage(message: Record<string, unknown>): Promise<GraphResult<SendResponse>> {
      const result = await postJson(
        url(`${config().phoneNumberId}/messages`),
        { Authorization: `Bearer ${config().accessToken}` },
        JSON.stringify(message),
        TIMEOUT_MS,
      );
      if (result.ok) return answerOf<SendResponse>(result.status, result.text);
      return {
        ok: false,
        error: { httpStatus: null, code: -1, message: result.code, details: result.message, ambiguous: result.written },
      };
    },

    uploadMedia(bytes: Buffer, mime: string, filename: string) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', mime);
      form.set('file', new Blob([new Uint8Array(bytes)], { type: mime }), filename);
      return call<{ id: string }>(`${config().phoneNumberId}/media`, { method: 'POST', body: form });
    },

    async listTemplates(): Promise<GraphResult<GraphTemplate[]>> {
      const all: GraphTemplate[] = [];
      let path = `${config().wabaId}/message_templates?fields=name,language,status,category,components&limit=100`;
      for (let page = 0; page < 50; page++) {
        const result = await call<{ data: GraphTemplate[]; paging?: { next?: string; cursors?: { after?: string } } }>(
          path,
          { method: 'GET' },
        );
        if (!result.ok) return result;
        all.push(...result.data.data);
        const after = result.data.paging?.cursors?.after;
        if (!result.data.paging?.next || !after) break;
        path = `${config().wabaId}/message_templates?fields=name,language,status,category,components&limit=100&after=${encodeURIComponent(after)}`;
      }
      return { ok: true, data: all };
    },

    /** Graph calls that change a setting (webhook overrides, subscriptions): JSON in, `{ success: true }` out. */
    postSetting: (path: 'phone' | 'subscribed_apps', params: Record<string, unknown>) =>
      call<{ success?: boolean }>(path === 'phone' ? config().phoneNumberId : `${config().wabaId}/subscribed_apps`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      }),

    /** The apps subscribed to the WABA (ours among them once subscribed), with any WABA-level override. */
    subscribedApps: () =>
      call<{ data: { override_callback_uri?: string }[] }>(`${config().wabaId}/subscribed_apps`, { method: 'GET' }),

    phoneNumber: () =>
      call<PhoneNumberInfo>(`${config().phoneNumberId}?fields=id,display_phone_number,verified_name,quality_rating`, {
        method: 'GET',
      }),
  };
}

export type GraphClient = ReturnType<typeof graphClient>;

function answerOf<T>(status: number, text: string): GraphResult<T> {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300 && body !== undefined) return { ok: true, data: body as T };
  return { ok: false, error: graphError(status, body, text) };
}

function networkError(error: unknown): GraphError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  // Refused or unresolved: nothing left this machine. A timeout or reset may come after Meta accepted the message.
  // Only message sends are never repeated blindly, and they go through postJson; for the other calls this is a label.
  const code = cause?.code;
  const safe = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return {
    httpStatus: null,
    code: -1,
    message: code ?? (error instanceof Error ? error.name : String(error)),
    details: cause?.message,
    ambiguous: !safe,
  };
}

function graphError(status: number, body: unknown, text: string): GraphError {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!e) return { httpStatus: status, code: status >= 500 ? 131000 : 100, message: text.slice(0, 200) || `HTTP ${status}` };
  const details = (e.error_data as { details?: string } | undefined)?.details;
  return {
    httpStatus: status,
    code: typeof e.code === 'number' ? e.code : Number(e.code ?? 100),
    subcode: typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
    message: String(e.message ?? ''),
    details,
    fbtraceId: typeof e.fbtrace_id === 'string' ? e.fbtrace_id : undefined,
  };
}
