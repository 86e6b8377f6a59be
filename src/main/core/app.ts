import { statusOf } from './api/handler-context';
import { createHandlers } from './api/handlers';
import type { AppOptions, AvisaCore } from './app-types';
import { composeCore } from './app/compose';
import { invoker } from './app/invoke';
import { lifecycle } from './app/lifecycle';
import { wireReactions } from './app/reactions';

export type { AvisaCore } from './app-types';

/** Composition root: the modules built from the settings, the reactions between them, and their start and stop. */
export function createApp(options: AppOptions): AvisaCore {
  const core = composeCore(options);
  const reactions = wireReactions(core);
  const { start, stop } = lifecycle(core, reactions.stop);
  return {
    invoke: invoker(createHandlers(core.ctx), core.language),
    subscribe: core.bus.subscribe,
    status: () => statusOf(core.ctx),
    start,
    stop,
  };
}
