import type { ApiResponse, AppStatus, AvisaEvent } from '../../shared/api';
import type { SecretBox } from './secrets/secret-box';
import type { SocketFactory } from './channels/linked-device/socket';
import type { Caller } from './people/caller';
import type { PersonView } from '../../shared/people';
import type { ServedCertificate } from './api/tls-certificate';

export interface AppOptions {
  dataDir: string;
  secretBox: SecretBox;
  mode: 'desktop' | 'server';
  /** Injected clock for tests; Date.now by default. */
  now?: () => number;
  /** Interface the Cloud API webhook receiver binds to (127.0.0.1 unless the reverse proxy is elsewhere). */
  webhookHost?: string;
  /** Overrides the webhook port setting (0: any free port; tests run many apps at once). */
  webhookPort?: number;
  /** First retry delay after a transient error, doubled each time (default 30 s); tests shorten it. */
  retryBaseMs?: number;
  /** Baileys' socket factory for the linked-device channel; tests pass a fake. */
  makeSocket?: SocketFactory;
  /** Server mode beyond loopback: the HTTPS certificate it serves (Ajustes shows its fingerprint). */
  servedCertificate?: ServedCertificate;
}

/** The running core: what the desktop glue and the HTTP server both sit on. */
export interface AvisaCore {
  /** Validates args and runs the named handler; never throws (errors come back as { ok: false }). */
  /**
   * Who calls decides what may run (api/permissions.ts). The IPC and HTTP transports always say; in-process callers
   * (the tray, command-line tools, tests) leave it out and act as the app itself.
   */
  invoke(name: string, args: unknown, caller?: Caller): Promise<ApiResponse<unknown>>;
  /** Server mode's sign-in form (the desktop unlocks through `session.unlock`). */
  auth: {
    signIn(
      documentNumber: string,
      secret: string,
      address: string,
    ): Promise<
      | { ok: true; token: string; person: PersonView; maxAgeSeconds: number }
      | { ok: false; code: string; message: string; retryAt: number | null }
    >;
    signOut(token: string): void;
  };
  subscribe(listener: (event: AvisaEvent) => void): () => void;
  status(): AppStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}
