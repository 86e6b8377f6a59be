import type { Epoch } from './domain';

/** How Meta's webhooks (statuses and replies) reach this workstation, as the settings screen shows it. */
export interface ReceptionSettings {
  mode: 'none' | 'own' | 'tunnel';
  publicUrl: string;
  tunnel: 'named' | 'quick';
  tunnelHostname: string;
  cloudflaredPath: string;
  overrideScope: 'phone' | 'waba';
  silenceMinutes: number;
}

export type ReceptionTunnelState = 'stopped' | 'not_found' | 'starting' | 'up' | 'restarting';

export interface ReceptionView {
  /** The core's clock when this view was made: "how long ago" counts from it. */
  at: Epoch;
  settings: ReceptionSettings;
  tunnelTokenSet: boolean;
  /** The local receiver: its port, and whether it listens. */
  localPort: number | null;
  listening: boolean;
  /** The address Meta calls, when known (own address, or the one the tunnel reported). */
  publicAddress: string | null;
  tunnel: { state: ReceptionTunnelState; detail: string | null } | null;
  /** The last address Meta accepted, and when. */
  registered: { address: string; at: Epoch; scope: string } | null;
  /** The last registration attempt failed: Meta's code and a reason a person understands. */
  registrationError: { code: string; reason: string; at: Epoch } | null;
  lastWebhookAt: Epoch | null;
  refusedLast24h: number;
  /** The Cloud API sent and no webhook came for longer than the threshold, since this moment. */
  silentSince: Epoch | null;
}

export interface ReceptionTest {
  ok: boolean;
  /** Why not, in words a person understands (with the technical code after it). */
  reason: string | null;
  /** How long the signed test took to come back through the public address. */
  ms: number | null;
}
