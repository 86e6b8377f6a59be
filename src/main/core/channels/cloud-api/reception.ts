import { createHmac, randomBytes } from 'node:crypto';
import type { Language } from '../../../../shared/domain';
import type { ReceptionTest, ReceptionView } from '../../../../shared/reception';
import type { SettingsService } from '../../settings/settings-service';
import type { Db } from '../../store/db';
import {
  firstSentAfter,
  insertRegistration,
  lastRegistrations,
  lastWebhookAt,
  refusalsSince,
  webhookWithMarkerSince,
} from '../../store/reception-repo';
import { startTunnel, type Tunnel, type TunnelKind, type TunnelState } from '../../webhooks/cloudflared';
import type { GraphClient } from './graph-client';
import { registerWebhook } from './webhook-registration';

export interface ReceptionOptions {
  db: Db;
  settings: SettingsService;
  client: GraphClient;
  now: () => number;
  language: () => Language;
  /** The local receiver's port while it listens, else null. */
  localPort: () => number | null;
  /** Something a person sees changed (address, registration, tunnel state). */
  onChange: () => void;
  /** For the child process (tests put a stand-in cloudflared on PATH). */
  tunnelEnv?: NodeJS.ProcessEnv;
  tunnelRestartBaseMs?: number;
}

const DAY_MS = 24 * 3_600_000;
const TEST_WAIT_MS = 10_000;

const texts = {
  noAddress: {
    es: 'Todavía no hay dirección pública: elija cómo recibir y espere a que el túnel la informe.',
    en: 'There is no public address yet: choose how to receive and wait for the tunnel to report it.',
  },
  notListening: {
    es: 'El receptor de webhooks de Avisa no está escuchando: configure el canal WhatsApp Cloud API y sus claves.',
    en: "Avisa's webhook receiver is not listening: set up the WhatsApp Cloud API channel and its secrets.",
  },
  noSecret: {
    es: 'Falta la clave secreta de la app (Ajustes → Claves): sin ella no se puede firmar la prueba.',
    en: 'The app secret is missing (Settings → Secrets): the test cannot be signed without it.',
  },
  unreachable: {
    es: (detail: string) => `La prueba firmada no llegó a Avisa por la dirección pública (${detail}).`,
    en: (detail: string) => `The signed test did not reach Avisa through the public address (${detail}).`,
  },
  refused: {
    es: (status: number) => `La dirección pública respondió ${status}: no es el receptor de Avisa o rechazó la firma.`,
    en: (status: number) => `The public address answered ${status}: it is not Avisa's receiver or it refused the signature.`,
  },
  notStored: {
    es: 'La dirección respondió, pero la prueba no llegó a este Avisa: la dirección lleva a otro equipo.',
    en: 'The address answered, but the test did not reach this Avisa: the address leads to another machine.',
  },
  noToken: {
    es: 'Falta el token del túnel con nombre (créelo en Cloudflare y péguelo aquí).',
    en: 'The named tunnel token is missing (create it in Cloudflare and paste it here).',
  },
  noHostname: {
    es: 'Falta la dirección pública del túnel con nombre (la configurada en Cloudflare).',
    en: "The named tunnel's public hostname is missing (the one set up in Cloudflare).",
  },
};

/**
 * How Meta's webhooks reach a workstation with no public server: the clinic's own HTTPS address, a Cloudflare Tunnel
 * supervised here, or none. When the public address is known or changes, Avisa registers it at Meta as a webhook
 * override; it also answers "did anything arrive lately?" for the silence alarm and proves reception on request.
 */
export function webhookReception(o: ReceptionOptions) {
  let tunnel: Tunnel | null = null;
  let tunnelKey = '';
  let tunnelState: TunnelState | null = null;
  let configError: string | null = null;
  let registering: Promise<void> = Promise.resolve();

  const settings = () => o.settings.get().webhookReception;

  /** The tunnel's public base, or the clinic's own full address. */
  const publicAddress = (): string | null => {
    const s = settings();
    if (s.mode === 'own') return s.publicUrl.trim() || null;
    if (s.mode === 'tunnel' && tunnelState?.state === 'up') return `${tunnelState.address}/webhook`;
    return null;
  };

  const register = async (force: boolean): Promise<void> => {
    const address = publicAddress();
    const scope = settings().overrideScope;
    if (!address || o.localPort() === null) return;
    const { lastOk } = lastRegistrations(o.db);
    if (!force && lastOk && lastOk.address === address && lastOk.target === scope) return;
    const result = await registerWebhook(o.client, {
      scope,
      address,
      verifyToken: o.settings.getSecret('cloudApi.verifyToken'),
      hasWaba: o.settings.get().cloudApi.wabaId !== '',
      language: o.language(),
    });
    insertRegistration(o.db, {
      at: o.now(),
      address,
      target: scope,
      ok: result.ok,
      errorCode: result.ok ? null : result.code,
      errorReason: result.ok ? null : result.reason,
    });
    o.onChange();
  };

  /** One registration at a time, in order: a tunnel restart and a settings change may both ask. */
  const registerSoon = (force = false): Promise<void> => {
    registering = registering.then(() => register(force)).catch((error: unknown) => {
      console.error('[avisa] webhook registration failed', error);
    });
    return registering;
  };

  const stopTunnel = async (): Promise<void> => {
    const t = tunnel;
    tunnel = null;
    tunnelKey = '';
    tunnelState = null;
    await t?.stop();
  };

  const tunnelKind = (): TunnelKind | string => {
    const s = settings();
    if (s.tunnel === 'quick') return { kind: 'quick' };
    const token = o.settings.getSecret('cloudApi.tunnelToken');
    if (!token) return texts.noToken[o.language()];
    const host = s.tunnelHostname.trim().replace(/\/+$/, '');
    if (!host) return texts.noHostname[o.language()];
    return { kind: 'named', token, hostname: /^https?:\/\//.test(host) ? host : `https://${host}` };
  };

  return {
    /** Re-reads the settings: starts, restarts or stops the tunnel, and registers a new address. */
    async apply(): Promise<void> {
      const s = settings();
      const port = o.localPort();
      configError = null;
      if (s.mode !== 'tunnel' || port === null) {
        await stopTunnel();
      } else {
        const kind = tunnelKind();
        if (typeof kind === 'string') {
          configError = kind;
          await stopTunnel();
        } else {
          const key = JSON.stringify([kind, s.cloudflaredPath, port]);
          if (key !== tunnelKey) {
            await stopTunnel();
            tunnelKey = key;
            tunnel = startTunnel({
              tunnel: kind,
              binaryPath: s.cloudflaredPath,
              localUrl: `http://127.0.0.1:${port}`,
              now: o.now,
              env: o.tunnelEnv,
              restartBaseMs: o.tunnelRestartBaseMs,
              onState: (state) => {
                tunnelState = state;
                o.onChange();
                // A quick tunnel comes back with a new address: Meta must be told again.
                if (state.state === 'up') void registerSoon();
              },
            });
          }
        }
      }
      await registerSoon();
    },

    /** Registers the current address at Meta again, even if it was registered before. */
    register: () => registerSoon(true),

    /** Since when the Cloud API has sent without any webhook coming back for longer than the threshold, or null. */
    silentSince(): number | null {
      const last = lastWebhookAt(o.db);
      const sent = firstSentAfter(o.db, 'cloud-api', last ?? -1);
      if (sent === null) return null;
      return o.now() - sent > settings().silenceMinutes * 60_000 ? sent : null;
    },

    view(): ReceptionView {
      const s = settings();
      const { last, lastOk } = lastRegistrations(o.db);
      const port = o.localPort();
      const detail = (): string | null => {
        if (configError) return configError;
        switch (tunnelState?.state) {
          case 'not_found':
            return tunnelState.looked;
          case 'restarting':
            return tunnelState.lastError;
          case 'up':
            return tunnelState.address;
          default:
            return null;
        }
      };
      return {
        at: o.now(),
        settings: { ...s },
        tunnelTokenSet: o.settings.getSecret('cloudApi.tunnelToken') !== null,
        localPort: port,
        listening: port !== null,
        publicAddress: publicAddress(),
        tunnel: s.mode === 'tunnel' ? { state: configError ? 'stopped' : (tunnelState?.state ?? 'stopped'), detail: detail() } : null,
        registered: lastOk ? { address: lastOk.address, at: lastOk.at, scope: lastOk.target } : null,
        registrationError:
          last && !last.ok ? { code: last.errorCode ?? '', reason: last.errorReason ?? '', at: last.at } : null,
        lastWebhookAt: lastWebhookAt(o.db),
        refusedLast24h: refusalsSince(o.db, o.now() - DAY_MS),
        silentSince: this.silentSince(),
      };
    },

    /** "Probar recepción": a webhook signed like Meta's, sent to the public address, must come back into the inbox. */
    async test(): Promise<ReceptionTest> {
      const lang = o.language();
      const address = publicAddress();
      if (!address) return { ok: false, reason: texts.noAddress[lang], ms: null };
      if (o.localPort() === null) return { ok: false, reason: texts.notListening[lang], ms: null };
      const secret = o.settings.getSecret('cloudApi.appSecret');
      if (!secret) return { ok: false, reason: texts.noSecret[lang], ms: null };
      const marker = `avisa-reception-test-${randomBytes(8).toString('hex')}`;
      // A field Avisa does not act on: the body is stored and processed like any webhook, and changes nothing.
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: o.settings.get().cloudApi.wabaId, changes: [{ field: 'avisa_reception_test', value: { marker } }] }],
      });
      const started = o.now();
      const clock = performance.now();
      let status: number;
      try {
        const answer = await fetch(address, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
          body,
          signal: AbortSignal.timeout(TEST_WAIT_MS),
        });
        status = answer.status;
        await answer.arrayBuffer();
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { ok: false, reason: texts.unreachable[lang](cause?.code ?? cause?.message ?? String(error)), ms: null };
      }
      if (status !== 200) return { ok: false, reason: texts.refused[lang](status), ms: null };
      if (!webhookWithMarkerSince(o.db, marker, started)) return { ok: false, reason: texts.notStored[lang], ms: null };
      return { ok: true, reason: null, ms: Math.round(performance.now() - clock) };
    },

    /** The tunnel's child process, stopped on quit. */
    close: () => stopTunnel(),
  };
}

export type WebhookReception = ReturnType<typeof webhookReception>;
