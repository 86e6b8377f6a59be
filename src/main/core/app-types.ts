import type { ApiResponse, AppStatus, AvisaEvent } from '../../shared/api';
import type { SecretBox } from './secrets/secret-box';

export interface AppOptions {
  dataDir: string;
  secretBox: SecretBox;
  mode: 'desktop' | 'server';
  /** Injected clock for tests; Date.now by default. */
  now?: () => number;
}

/** The running core: what the desktop glue and the HTTP server both sit on. */
export interface AvisaCore {
  /** Validates args and runs the named handler; never throws (errors come back as { ok: false }). */
  invoke(name: string, args: unknown): Promise<ApiResponse<unknown>>;
  subscribe(listener: (event: AvisaEvent) => void): () => void;
  status(): AppStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}
