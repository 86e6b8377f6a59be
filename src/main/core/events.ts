import type { AvisaEvent, AvisaEvents, EventName } from '../../shared/api';

export interface EventBus {
  emit<N extends EventName>(name: N, data: AvisaEvents[N]): void;
  subscribe(listener: (event: AvisaEvent) => void): () => void;
}

export function eventBus(): EventBus {
  const listeners = new Set<(event: AvisaEvent) => void>();
  return {
    emit(name, data) {
      const event = { name, data } as AvisaEvent;
      for (const listener of listeners) {
        // A broken listener (a closed window, a dropped HTTP client) must not stop the others.
        try {
          listener(event);
        } catch (error) {
          console.error('[avisa] event listener failed', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
