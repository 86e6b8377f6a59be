import { statusOf } from './api/handler-context';
import { createHandlers } from './api/handlers';
import type { AppOptions, AvisaCore } from './app-types';
import { composeCore } from './app/compose';
import { invoker } from './app/invoke';
import { lifecycle } from './app/lifecycle';
import { wireReactions } from './app/reactions';
import { announcingChanges } from './app/resource-events';
import { operationsHandlers } from './api/operations-handlers';
import { requestRestore } from './backup/pending-restore';

export type { AvisaCore } from './app-types';

/** Composition root: the modules built from the settings, the reactions between them, and their start and stop. */
export function createApp(options: AppOptions): AvisaCore {
  const core = composeCore(options);
  const reactions = wireReactions(core);
  const { start, stop } = lifecycle(core, reactions.stop);
  const handlers = announcingChanges({
    ...createHandlers(core.ctx),
    ...operationsHandlers({
      ops: core.ops,
      language: core.language,
      audit: core.ctx.audit,
      scheduleRestore: (path, passphrase) => {
        requestRestore(options.dataDir, options.secretBox, path, passphrase);
        core.bus.emit('app.restartRequested', { reason: 'restore' });
      },
    }),
  }, core.bus);
  return {
    invoke: invoker(handlers, core.language, core.access, (error) => core.ops.storage.report(error)),
    auth: {
      async signIn(documentNumber, secret, address) {
        const outcome = await core.access.people.signIn({ documentNumber }, secret, 'browser', address);
        if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.reason[core.language()], retryAt: outcome.retryAt };
        const maxAgeSeconds = core.settings.get().people.sessionMaxHours * 3600;
        return { ok: true, token: outcome.token, person: outcome.person, maxAgeSeconds };
      },
      signOut: (token) => core.access.people.signOut(token, 'signed_out'),
    },
    subscribe: core.bus.subscribe,
    status: () => statusOf(core.ctx),
    start,
    stop,
  };
}
