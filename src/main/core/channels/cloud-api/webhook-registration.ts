import type { Language } from '../../../../shared/domain';
import { reasonFor } from './error-policy';
import type { GraphClient, GraphError } from './graph-client';

/**
 * Where Meta should send this clinic's webhooks. Meta's "Webhook overrides": an alternate callback URL for the
 * business phone number (POST /{phone-number-id} with webhook_configuration) or for the WABA (POST
 * /{waba-id}/subscribed_apps with override_callback_uri); Meta first calls the URL with the verification request and
 * accepts it only if the verify token matches. Either way the app must be subscribed to the WABA.
 */
export type OverrideScope = 'phone' | 'waba';

export type Registration = { ok: true } | { ok: false; code: string; reason: string };

const texts = {
  verification: {
    es: 'Meta no pudo verificar la dirección pública: revise que el túnel o el proxy lleguen a Avisa y que el token de verificación sea el mismo.',
    en: 'Meta could not verify the public address: check that the tunnel or proxy reaches Avisa and that the verify token matches.',
  },
  noVerifyToken: {
    es: 'Falta el token de verificación del webhook (Ajustes → Claves).',
    en: 'The webhook verify token is missing (Settings → Secrets).',
  },
  permission: {
    es: 'El token de acceso no tiene permiso para registrar el webhook: el usuario del sistema necesita whatsapp_business_management y whatsapp_business_messaging, con la cuenta de WhatsApp asignada (control total).',
    en: 'The access token may not register the webhook: the system user needs whatsapp_business_management and whatsapp_business_messaging, with the WhatsApp account assigned (full control).',
  },
  noWaba: {
    es: 'Falta el identificador de la cuenta (WABA ID): Meta lo necesita para suscribir la app.',
    en: 'The account id (WABA ID) is missing: Meta needs it to subscribe the app.',
  },
};

function failure(e: GraphError, language: Language): Registration {
  if (e.code === 2200) return { ok: false, code: '2200', reason: `${texts.verification[language]} (${e.message})` };
  // Graph's permission errors: #10 and the #200 family.
  if (e.code === 10 || (e.code >= 200 && e.code <= 299)) {
    return { ok: false, code: String(e.code), reason: `${texts.permission[language]} (${e.message})` };
  }
  return { ok: false, code: e.httpStatus === null ? `network:${e.message}` : String(e.code), reason: reasonFor(e.code, language, e.message) };
}

/** Subscribes the app to the WABA and points the chosen override at `address`. */
export async function registerWebhook(
  client: GraphClient,
  o: { scope: OverrideScope; address: string; verifyToken: string | null; hasWaba: boolean; language: Language },
): Promise<Registration> {
  if (!o.verifyToken) return { ok: false, code: 'no_verify_token', reason: texts.noVerifyToken[o.language] };
  if (!o.hasWaba) return { ok: false, code: 'no_waba', reason: texts.noWaba[o.language] };
  if (o.scope === 'waba') {
    const set = await client.postSetting('subscribed_apps', { override_callback_uri: o.address, verify_token: o.verifyToken });
    return set.ok ? { ok: true } : failure(set.error, o.language);
  }
  // The phone's override only takes effect for an app subscribed to its WABA. Subscribed already: left as it is, since
  // subscribing again without an override would drop a WABA-level override someone set.
  const apps = await client.subscribedApps();
  if (!apps.ok) return failure(apps.error, o.language);
  if (apps.data.data.length === 0) {
    const subscribed = await client.postSetting('subscribed_apps', {});
    if (!subscribed.ok) return failure(subscribed.error, o.language);
  }
  const set = await client.postSetting('phone', {
    webhook_configuration: { override_callback_uri: o.address, verify_token: o.verifyToken },
  });
  return set.ok ? { ok: true } : failure(set.error, o.language);
}
