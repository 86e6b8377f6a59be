import { randomUUID } from 'node:crypto';
import type { Channel, ChannelListeners, OutgoingMessage, SendOutcome } from '../channel';

export interface DemoOptions {
  now: () => number;
  random?: () => number;
  /** Multiplies every simulated delay; tests use a small factor. */
  speed?: number;
  failureReason: string;
}

const replies = ['Sí, confirmo', '1', 'Ok, gracias', 'No podré ir, ¿puedo reprogramar?', 'Gracias, ya lo vi'];

/**
 * A simulated WhatsApp: accepts after a short delay, reports delivered and read later, sometimes answers, and now
 * and then fails as an unreachable number would. Clearly labelled as demo everywhere it shows.
 */
export function demoChannel(listeners: ChannelListeners, options: DemoOptions): Channel {
  const random = options.random ?? Math.random;
  const speed = options.speed ?? 1;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms * speed);
    timers.add(t);
  };
  const between = (min: number, max: number): number => min + random() * (max - min);

  return {
    id: 'demo',
    // Slow enough that a person watching the Panel sees messages go out one by one.
    maxPerSecond: 4,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      await new Promise<void>((resolve) => later(between(80, 300), resolve));
      if (random() < 0.06) {
        return { ok: false, code: '131026', reason: options.failureReason, failure: 'permanent' };
      }
      const providerId = `demo.${randomUUID()}`;
      const deliveredAfter = between(800, 4000);
      later(deliveredAfter, () => listeners.status({ providerId, state: 'delivered', at: options.now() }));
      if (random() < 0.75) {
        const readAfter = deliveredAfter + between(1500, 9000);
        later(readAfter, () => listeners.status({ providerId, state: 'read', at: options.now() }));
        if (message.kind === 'reminder' && random() < 0.5) {
          const body = replies[Math.floor(random() * replies.length)] ?? 'Ok';
          later(readAfter + between(1000, 6000), () =>
            listeners.reply({
              providerMessageId: `demo.in.${randomUUID()}`,
              fromPhone: message.toPhone,
              body,
              at: options.now(),
              inReplyTo: providerId,
            }),
          );
        }
      }
      return { ok: true, providerId };
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
