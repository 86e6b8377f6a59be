import type { AvisaEvent } from '../../../shared/api';
import { resultMessageSent } from '../intake/results-intake';
import type { ComposedCore } from './compose';
import { throttled } from './throttle';

type MessageChanged = Extract<AvisaEvent, { name: 'message.changed' }>;

interface Reaction {
  /** What happens, as a person would say it. */
  name: string;
  when: (event: MessageChanged) => boolean;
  run: (event: MessageChanged) => void;
}

/**
 * What one module's event makes another do, in one list. Reactions wired at construction (a reply → its meaning for the
 * appointment, a patient's new phone → re-planning, the phone's state → the header) live beside the module in compose.
 */
export function wireReactions(core: ComposedCore): { stop(): void } {
  // Campaigns move to sending and done as their messages go; many change at once, so look at most twice a second.
  const refreshCampaignsSoon = throttled(500, () => {
    core.campaigns.refresh();
    core.bus.emit('campaigns.changed', { id: null });
  });

  const reactions: Reaction[] = [
    { name: 'message changed → status totals to the UI and tray', when: () => true, run: () => core.announceStatus() },
    { name: 'message changed → campaign progress', when: () => true, run: () => refreshCampaignsSoon() },
    {
      name: 'message sent → its result marked sent',
      when: (e) => e.data.state === 'sent',
      run: (e) => resultMessageSent(core.db, e.data.id, core.now()),
    },
    { name: 'message queued → the dispatcher wakes', when: (e) => e.data.state === 'queued', run: () => core.dispatcher.wake() },
  ];

  const unsubscribe = core.bus.subscribe((event) => {
    if (event.name !== 'message.changed') return;
    for (const reaction of reactions) if (reaction.when(event)) reaction.run(event);
  });
  return {
    stop() {
      unsubscribe();
      refreshCampaignsSoon.cancel();
    },
  };
}
