import type { AvisaEvent } from '../../shared/api';
import { createApp } from './app';
import type { AppOptions, AvisaCore } from './app-types';
import { pendingRestoreExists, runPendingRestore } from './backup/pending-restore';

/**
 * The core as the desktop and server hosts hold it: when a restore was asked for (Ajustes → Restaurar) it stops the
 * running core, restores into the data folder — the current data moved aside — and starts a new core on the restored
 * copy, while the windows and HTTP clients keep their subscription. A restore left pending by a crash runs at start.
 */
export function createRestartableApp(options: AppOptions): AvisaCore {
  const listeners = new Set<(event: AvisaEvent) => void>();
  let core = createApp(options);
  let unsubscribe = () => {};
  let restarting: Promise<void> | null = null;
  const now = options.now ?? Date.now;

  const attach = (): void => {
    unsubscribe = core.subscribe((event) => {
      for (const listener of listeners) listener(event);
      // After the answer to the call that asked for it has gone back.
      if (event.name === 'app.restartRequested') setImmediate(() => void restart());
    });
  };

  const restart = (): Promise<void> => {
    restarting ??= (async () => {
      unsubscribe();
      await core.stop();
      await runPendingRestore(options.dataDir, options.secretBox, now);
      core = createApp(options);
      attach();
      await core.start();
      const status = core.status();
      for (const listener of listeners) listener({ name: 'status.changed', data: status });
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  };

  attach();
  return {
    async invoke(name, args, caller) {
      if (restarting) await restarting;
      return core.invoke(name, args, caller);
    },
    auth: {
      signIn: (documentNumber, secret, address) => core.auth.signIn(documentNumber, secret, address),
      signOut: (token) => core.auth.signOut(token),
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => core.status(),
    async start() {
      if (pendingRestoreExists(options.dataDir)) return restart();
      await core.start();
    },
    async stop() {
      if (restarting) await restarting;
      unsubscribe();
      await core.stop();
    },
  };
}
